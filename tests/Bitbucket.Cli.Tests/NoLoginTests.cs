using System.Net;
using System.Net.Sockets;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>Issue 13 item 11: without a login for the chosen host, a command sends nothing and says so (exit 4).</summary>
public sealed class NoLoginTests
{
    /// <summary>A listener on 127.0.0.1 that only counts connections.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private int connections;

        public CountingListener()
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        using var client = await listener.AcceptTcpClientAsync();
                        Interlocked.Increment(ref connections);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            });
        }

        public string Origin => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        public int Connections => Volatile.Read(ref connections);

        public void Dispose() => listener.Stop();
    }

    /// <summary>A stored host at <paramref name="origin"/> with its consumer key but no account: what a logout leaves.</summary>
    private static void WriteHost(BbProcess bb, string origin, string accounts = "{}", string defaultAccount = "null")
    {
        File.WriteAllText(
            Path.Combine(bb.ConfigDir, "hosts.json"),
            "{\"version\": 1, \"defaultHost\": \"work\", \"hosts\": {\"work\": {\"apiUrl\": \"" + origin + "\", "
            + "\"requestTokenUrl\": \"" + origin + "/rt\", \"authorizeUrl\": \"" + origin + "/au\", \"accessTokenUrl\": \"" + origin + "/at\", "
            + "\"signatureMethod\": \"HMAC-SHA1\", \"rsaKeyPath\": null, \"consumerKey\": \"k\", \"consumerSecret\": null, "
            + "\"defaultAccount\": " + defaultAccount + ", \"accounts\": " + accounts + "}}}");
        File.SetUnixFileMode(Path.Combine(bb.ConfigDir, "hosts.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task A_host_whose_login_was_removed_gets_exit_4_and_no_connection()
    {
        using var server = new CountingListener();
        using var bb = new BbProcess();
        WriteHost(bb, server.Origin);

        var result = await bb.RunAsync("user", "get");

        Assert.Equal("bb: not logged in to work; run bb auth login", CliAssert.OneErrorLine(result, 4));
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task Bb_api_without_a_login_gets_exit_4_and_no_connection()
    {
        using var server = new CountingListener();
        using var bb = new BbProcess();
        WriteHost(bb, server.Origin);

        var result = await bb.RunAsync("api", "/2.0/user");

        Assert.Equal("bb: not logged in to work; run bb auth login", CliAssert.OneErrorLine(result, 4));
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task The_built_in_host_without_a_login_is_refused_before_any_lookup()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get");

        Assert.Equal("bb: not logged in to bitbucket.org; run bb auth login", CliAssert.OneErrorLine(result, 4));
    }

    [Fact]
    public async Task A_stored_login_is_used_and_reaches_the_server()
    {
        // The other side of the rule: with an account the same host is contacted.
        using var server = new CountingListener();
        using var bb = new BbProcess();
        WriteHost(bb, server.Origin, """{"alice": {"scheme": "bearer", "token": "t0k3n"}}""", "\"alice\"");

        var result = await bb.RunAsync("user", "get", "--timeout", "5");

        Assert.NotEqual(4, result.ExitCode);
        Assert.True(server.Connections > 0, result.ToString());
    }
}
