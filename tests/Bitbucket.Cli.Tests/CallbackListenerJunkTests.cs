using System.Net;
using System.Net.Sockets;
using System.Text;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 13 item 5: any local process can reach the callback listener while a login waits. Nothing
/// it sends — a body without Content-Length, unknown methods, garbage, a hundred at once — may end
/// the wait or break the login; only the provider's matching callback does.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class CallbackListenerJunkTests(ProviderFixture provider)
{
    private const string Token = "request-token-junk";

    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>Requests no browser sends; each is written raw and the connection read until the listener closes it.</summary>
    public static readonly string[] Junk =
    [
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "PUT /callback?oauth_token=x&oauth_verifier=y HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nbody",
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
        "DELETE /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n",
        "BREW /pot HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /callback HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /callback HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + new string('a', 70_000) + "\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "\0\u0001\u0002\u00ff\r\n\r\n",
        "GET /callback",
        string.Empty,
    ];

    [Fact]
    public async Task Junk_requests_get_an_answer_and_the_wait_goes_on_to_the_real_callback()
    {
        using var listener = CallbackListener.Start(0);
        var wait = listener.WaitAsync(Token, CancellationToken.None);

        foreach (var junk in Junk)
        {
            await SendRawAsync(listener.CallbackUri.Port, junk);
        }

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => SendRawAsync(listener.CallbackUri.Port, Junk[i % Junk.Length])));
        Assert.False(wait.IsCompleted, wait.Exception?.ToString());

        using var http = new HttpClient();
        using var ok = await http.GetAsync(listener.CallbackUri + $"?oauth_token={Token}&oauth_verifier=v1").WaitAsync(Guard);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("v1", (await wait.WaitAsync(Guard)).Verifier);
    }

    [Fact]
    public async Task A_login_survives_junk_sent_to_its_callback_listener()
    {
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = ProviderFixture.ConsumerSecret;
        Uri? authorize = null;
        string[] args = ["auth", "login", "--host", "local", "--api-url", provider.ApiUrl, "--consumer-key", ProviderFixture.ConsumerKey, "--no-browser", "--timeout", "120"];

        var result = await bb.RunAsync(args, stdin: null, onStderrLine: async line =>
        {
            if (line.StartsWith(provider.ApiUrl, StringComparison.Ordinal) && line.Contains("oauth_token=", StringComparison.Ordinal))
            {
                authorize = new Uri(line.Trim());
            }
            else if (line.StartsWith("Waiting for the browser to return to ", StringComparison.Ordinal) && authorize is not null)
            {
                var port = new Uri(line["Waiting for the browser to return to ".Length..].TrimEnd(' ', '…')).Port;
                await Task.WhenAll(Enumerable.Range(0, 100).Select(i => SendRawAsync(port, Junk[i % Junk.Length])));
                await ProviderFixture.ApproveAsync(authorize);
            }
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Logged in to local as alice", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("disposed", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes <paramref name="request"/> and reads whatever comes back until the listener closes (bounded).</summary>
    private static async Task SendRawAsync(int port, string request)
    {
        using var client = new TcpClient();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, guard.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request), guard.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, guard.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // A reset or a silent listener is the listener's business; the wait must go on regardless.
        }
    }
}
