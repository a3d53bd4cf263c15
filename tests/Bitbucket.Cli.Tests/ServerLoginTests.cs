using System.Net;
using System.Net.Sockets;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>A Bitbucket Server–style login: custom OAuth URLs and a plain-text whoami endpoint.</summary>
public sealed class ServerLoginTests
{
    [Fact]
    public async Task Login_with_custom_urls_and_a_plain_text_whoami()
    {
        await using var server = new RawHttpServer((request, stream, _) => request.Target switch
        {
            "/plugins/servlet/oauth/request-token" => RawHttpServer.WriteResponseAsync(stream, 200, "oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=true", "application/x-www-form-urlencoded"),
            "/plugins/servlet/oauth/access-token" => RawHttpServer.WriteResponseAsync(stream, 200, "oauth_token=at&oauth_token_secret=ats", "application/x-www-form-urlencoded"),
            "/plugins/servlet/applinks/whoami" => RawHttpServer.WriteResponseAsync(stream, 200, "jdoe\n", "text/plain"),
            _ => RawHttpServer.WriteResponseAsync(stream, 404, "{}"),
        });
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = "server-secret";
        var port = FreePort();

        var login = await bb.RunAsync(
            [
                "auth", "login", "--host", "work", "--api-url", server.Origin,
                "--request-token-url", server.Origin + "/plugins/servlet/oauth/request-token",
                "--authorize-url", server.Origin + "/plugins/servlet/oauth/authorize",
                "--access-token-url", server.Origin + "/plugins/servlet/oauth/access-token",
                "--consumer-key", "bb-cli", "--user-path", "/plugins/servlet/applinks/whoami",
                "--no-browser", "--callback-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "60",
            ],
            stdin: null,
            onStderrLine: async line =>
            {
                if (line.StartsWith(server.Origin + "/plugins/servlet/oauth/authorize?oauth_token=rt", StringComparison.Ordinal))
                {
                    using var http = new HttpClient();
                    using var wrongToken = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/callback?oauth_token=other&oauth_verifier=v"));
                    Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);
                    using var callback = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/callback?oauth_token=rt&oauth_verifier=v"));
                    Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
                }
            });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in to work as jdoe", login.Stderr, StringComparison.Ordinal);
        // First the unauthenticated probe that recognises Data Center (this server answers it 404, so: Cloud).
        var probe = server.Requests.First();
        Assert.Equal(("GET /rest/api/latest/application-properties", null), (probe.RequestLine, probe.Header("Authorization")));
        var requests = server.Requests.Skip(1).ToArray();
        Assert.Equal("POST /plugins/servlet/oauth/request-token", requests[0].RequestLine);
        Assert.Contains($"oauth_callback=\"http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback\"", requests[0].Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal("POST /plugins/servlet/oauth/access-token", requests[1].RequestLine);
        Assert.Contains("oauth_verifier=\"v\"", requests[1].Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains("oauth_token=\"rt\"", requests[1].Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains("oauth_token=\"at\"", requests[2].Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains("\"jdoe\"", bb.HostsJson, StringComparison.Ordinal);

        // The whoami path is part of the host: a later status check uses it too.
        var status = await bb.RunAsync("auth", "status", "--host", "work");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("valid (as jdoe)", status.Stdout, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
