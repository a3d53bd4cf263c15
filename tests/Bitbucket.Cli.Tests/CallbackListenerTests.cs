using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// The OAuth callback listener, in-process: 127.0.0.1 only, one matching callback, nothing from the
/// request ever written back, and gone as soon as it has its answer (or gives up).
/// </summary>
public sealed class CallbackListenerTests
{
    private const string Token = "request-token-123";

    // A hang guard for each wait, not a timing assertion.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Listens_on_127_0_0_1_only_and_on_a_random_port_when_given_0()
    {
        using var first = CallbackListener.Start(0);
        using var second = CallbackListener.Start(0);

        foreach (var listener in new[] { first, second })
        {
            Assert.Equal("127.0.0.1", listener.CallbackUri.Host);
            Assert.Equal("/callback", listener.CallbackUri.AbsolutePath);
            Assert.NotEqual(0, listener.CallbackUri.Port);
        }

        Assert.NotEqual(first.CallbackUri.Port, second.CallbackUri.Port);
        Assert.True(await CanConnectAsync(IPAddress.Loopback, first.CallbackUri.Port));

        // Another loopback address (127.0.0.0/8 all reaches lo on Linux) and every non-loopback address
        // of this machine must not reach it: the socket is bound to 127.0.0.1, not to any address.
        var others = new List<IPAddress> { IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback };
        others.AddRange(NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal));
        foreach (var address in others)
        {
            Assert.False(await CanConnectAsync(address, first.CallbackUri.Port), $"the callback listener is reachable on {address}");
        }
    }

    [Fact]
    public async Task Listens_on_the_given_port()
    {
        var port = FreePort();

        using var listener = CallbackListener.Start(port);

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/callback"), listener.CallbackUri);
    }

    [Fact]
    public void A_port_in_use_is_a_one_line_error_naming_it()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var error = Assert.ThrowsAny<CliException>(() => CallbackListener.Start(port));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Accepts_only_the_callback_for_its_token_others_get_400_and_the_wait_goes_on()
    {
        using var listener = CallbackListener.Start(0);
        using var http = new HttpClient();
        var wait = listener.WaitAsync(Token, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, listener, "?oauth_token=someone-else&oauth_verifier=v1"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, listener, "?oauth_verifier=v1"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, listener, $"?oauth_token={Token}x&oauth_verifier=v1"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(listener.CallbackUri, "/other?oauth_token=" + Token + "&oauth_verifier=v1"))).StatusCode);
        using (var post = await http.PostAsync(listener.CallbackUri + $"?oauth_token={Token}&oauth_verifier=v1", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }

        Assert.False(wait.IsCompleted);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, listener, $"?oauth_token={Token}&oauth_verifier=the-verifier"));
        var result = await wait.WaitAsync(Guard);

        Assert.Equal("the-verifier", result.Verifier);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&oauth_verifier=")]
    [InlineData("&oauth_verifier")]
    public async Task A_missing_verifier_gets_400_and_the_wait_goes_on(string verifierPart)
    {
        using var listener = CallbackListener.Start(0);
        using var http = new HttpClient();
        var wait = listener.WaitAsync(Token, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, listener, $"?oauth_token={Token}{verifierPart}"));
        Assert.False(wait.IsCompleted);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, listener, $"?oauth_token={Token}&oauth_verifier=v2"));
        Assert.Equal("v2", (await wait.WaitAsync(Guard)).Verifier);
    }

    [Fact]
    public async Task Denied_access_throws_an_AuthException_and_closes_the_listener()
    {
        using var listener = CallbackListener.Start(0);
        using var http = new HttpClient();
        var wait = listener.WaitAsync(Token, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(http, listener, "?denied=another-token"));
        Assert.False(wait.IsCompleted);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, listener, $"?oauth_token={Token}&denied={Token}&oauth_problem=user_refused"));

        var error = await Assert.ThrowsAsync<AuthException>(() => wait.WaitAsync(Guard));
        Assert.Equal(ExitCodes.Auth, error.ExitCode);
        Assert.False(await CanConnectAsync(IPAddress.Loopback, listener.CallbackUri.Port), "the listener must close once the login is decided");
    }

    [Fact]
    public async Task Closes_after_the_successful_callback_so_a_second_request_cannot_connect()
    {
        using var listener = CallbackListener.Start(0);
        using var http = new HttpClient();
        var wait = listener.WaitAsync(Token, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, listener, $"?oauth_token={Token}&oauth_verifier=v"));
        await wait.WaitAsync(Guard);

        // The listener object is still alive (the login goes on to exchange the token), but not listening.
        Assert.False(await CanConnectAsync(IPAddress.Loopback, listener.CallbackUri.Port), "a second callback could still connect");
    }

    [Fact]
    public async Task Closes_when_the_wait_is_cancelled()
    {
        using var listener = CallbackListener.Start(0);
        using var cancel = new CancellationTokenSource();
        var wait = listener.WaitAsync(Token, cancel.Token);
        Assert.True(await CanConnectAsync(IPAddress.Loopback, listener.CallbackUri.Port));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Guard));
        Assert.False(await CanConnectAsync(IPAddress.Loopback, listener.CallbackUri.Port));
    }

    [Fact]
    public async Task Closes_when_the_wait_times_out()
    {
        using var listener = CallbackListener.Start(0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener.WaitAsync(Token, timeout.Token).WaitAsync(Guard));

        Assert.False(await CanConnectAsync(IPAddress.Loopback, listener.CallbackUri.Port));
    }

    [Fact]
    public async Task Never_echoes_anything_from_the_request()
    {
        string[] hostile =
        [
            "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "\"><svg onload=alert(3)>", "javascript:alert(4)",
        ];
        using var listener = CallbackListener.Start(0);
        using var http = new HttpClient();
        var wait = listener.WaitAsync(Token, CancellationToken.None);
        var bodies = new List<string>();
        foreach (var value in hostile)
        {
            var e = Uri.EscapeDataString(value);
            foreach (var query in new[]
            {
                $"?oauth_token={e}&oauth_verifier={e}",
                $"?oauth_token={Token}&oauth_verifier=&x={e}",
                $"?denied={e}&oauth_problem={e}",
            })
            {
                using var response = await http.GetAsync(listener.CallbackUri + query);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync() + response.Headers + response.Content.Headers);
            }

            using var other = await http.GetAsync(new Uri(listener.CallbackUri, "/" + e + "?q=" + e));
            bodies.Add(await other.Content.ReadAsStringAsync() + other.Headers + other.Content.Headers);
        }

        // A raw request line carrying markup the way no browser would send it.
        bodies.Add(await RawRequestAsync(listener.CallbackUri.Port, "GET /callback?oauth_token=<script>alert(1)</script>&oauth_verifier=<b>x</b> HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));

        // The accepted callback itself does not show the verifier either.
        using (var ok = await http.GetAsync(listener.CallbackUri + $"?oauth_token={Token}&oauth_verifier={Uri.EscapeDataString(hostile[0])}"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("text/html", ok.Content.Headers.ContentType?.MediaType);
            bodies.Add(await ok.Content.ReadAsStringAsync() + ok.Headers + ok.Content.Headers);
        }

        Assert.Equal(hostile[0], (await wait.WaitAsync(Guard)).Verifier);
        foreach (var body in bodies)
        {
            foreach (var value in hostile.Append("alert(").Append("<b>x</b>").Append(Token))
            {
                Assert.DoesNotContain(value, body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Uri.EscapeDataString(value), body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, CallbackListener listener, string query)
    {
        using var response = await http.GetAsync(listener.CallbackUri + query);
        return response.StatusCode;
    }

    private static async Task<bool> CanConnectAsync(IPAddress address, int port)
    {
        using var client = new TcpClient(address.AddressFamily);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ConnectAsync(address, port, guard.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false; // filtered: not reachable either
        }
    }

    private static async Task<string> RawRequestAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync().WaitAsync(Guard);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
