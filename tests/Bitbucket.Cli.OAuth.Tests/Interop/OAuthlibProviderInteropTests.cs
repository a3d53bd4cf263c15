using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests.Interop;

/// <summary>
/// The three-legged flow against tests/interop/oauthlib_provider.py — a provider nobody here wrote —
/// on 127.0.0.1, using only our signer and handler on the client side.
/// </summary>
public sealed class OAuthlibProviderInteropTests
{
    private const string ConsumerKey = "bb-interop-consumer";
    private const string ConsumerSecret = "s3cret&=+% /ü";

    [Fact]
    public async Task Interop_full_login_flow_then_signed_api_calls_against_the_oauthlib_provider()
    {
        using var provider = await Provider.StartAsync();
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = provider.BaseAddress };
        var consumer = new OAuthCredentials(ConsumerKey, ConsumerSecret, null, null, SignatureMethod.HmacSha1);
        var nonces = new RandomNonceSource();

        // §2.1 temporary credentials, with a callback.
        var requestTokenUri = new Uri(provider.BaseAddress, "/oauth/request_token");
        using var requestTokenRequest = new HttpRequestMessage(HttpMethod.Post, requestTokenUri);
        requestTokenRequest.Headers.TryAddWithoutValidation("Authorization", OAuthRequestSigner.CreateAuthorizationHeader(
            "POST", requestTokenUri, null, consumer, nonces.NextNonce(), DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            [new("oauth_callback", "http://127.0.0.1:9/callback?state=a b")]));
        var (requestToken, requestSecret, extra) = OAuthTokenResponse.Parse(await ReadOk(await plain.SendAsync(requestTokenRequest)));
        Assert.Equal("true", extra["oauth_callback_confirmed"]);

        // §2.2 authorization: the provider approves and redirects to the callback with the verifier.
        var authorize = await plain.GetAsync(new Uri($"/oauth/authorize?oauth_token={OAuthEncoding.PercentEncode(requestToken)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var callback = authorize.Headers.Location!;
        Assert.Equal("/callback", callback.AbsolutePath);
        var callbackQuery = OAuthEncoding.ParseQueryOrForm(callback.Query.TrimStart('?')).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(requestToken, callbackQuery["oauth_token"]);
        Assert.Equal("a b", callbackQuery["state"]);

        // §2.3 token credentials, signed with the temporary credentials and the verifier.
        var accessTokenUri = new Uri(provider.BaseAddress, "/oauth/access_token");
        using var accessTokenRequest = new HttpRequestMessage(HttpMethod.Post, accessTokenUri);
        accessTokenRequest.Headers.TryAddWithoutValidation("Authorization", OAuthRequestSigner.CreateAuthorizationHeader(
            "POST", accessTokenUri, null, consumer with { Token = requestToken, TokenSecret = requestSecret }, nonces.NextNonce(),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), [new("oauth_verifier", callbackQuery["oauth_verifier"])]));
        var (accessToken, accessSecret, _) = OAuthTokenResponse.Parse(await ReadOk(await plain.SendAsync(accessTokenRequest)));

        // §3 authenticated requests through the handler bb uses.
        var credentials = consumer with { Token = accessToken, TokenSecret = accessSecret };
        using var api = new HttpClient(new OAuthSigningHandler(() => credentials, TimeProvider.System, nonces)
        {
            InnerHandler = new SocketsHttpHandler { UseProxy = false },
        })
        { BaseAddress = provider.BaseAddress };

        using var user = JsonDocument.Parse(await ReadOk(await api.GetAsync(new Uri("/2.0/user", UriKind.Relative))));
        Assert.Equal("oauthlib-user", user.RootElement.GetProperty("username").GetString());

        using var branches = JsonDocument.Parse(await ReadOk(await api.GetAsync(new Uri("/2.0/repositories/ws/repo/refs/branches?q=name%20~%20%22ma%22&pagelen=10", UriKind.Relative))));
        Assert.Equal(["main", "dev"], branches.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("name").GetString()));

        using var echo = JsonDocument.Parse(await ReadOk(await api.PostAsync(
            new Uri("/2.0/anything/ü?a=1&a=2&flag", UriKind.Relative), new FormUrlEncodedContent([new("title", "Grüße & more"), new("x", "*~+")]))));
        Assert.Equal("POST", echo.RootElement.GetProperty("method").GetString());

        // The same request sent twice is signed twice; a replayed header is refused.
        var signedHeader = await SendAndCaptureAuthorization(credentials, provider.BaseAddress);
        using var replay = new HttpRequestMessage(HttpMethod.Get, new Uri(provider.BaseAddress, "/2.0/user"));
        replay.Headers.TryAddWithoutValidation("Authorization", signedHeader);
        Assert.Equal(HttpStatusCode.Unauthorized, (await plain.SendAsync(replay)).StatusCode);

        // Wrong token secret: 401 with an OAuth challenge.
        using var wrong = new HttpClient(new OAuthSigningHandler(() => credentials with { TokenSecret = "wrong" }, TimeProvider.System, nonces)
        {
            InnerHandler = new SocketsHttpHandler { UseProxy = false },
        });
        var rejected = await wrong.GetAsync(new Uri(provider.BaseAddress, "/2.0/user"));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("OAuth", rejected.Headers.WwwAuthenticate.Single().Scheme);
    }

    private static async Task<string> SendAndCaptureAuthorization(OAuthCredentials credentials, Uri baseAddress)
    {
        var capture = new AuthorizationCapture { InnerHandler = new SocketsHttpHandler { UseProxy = false } };
        using var client = new HttpClient(new OAuthSigningHandler(() => credentials, TimeProvider.System, new RandomNonceSource()) { InnerHandler = capture });
        var response = await client.GetAsync(new Uri(baseAddress, "/2.0/user"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return capture.Last!;
    }

    private static async Task<string> ReadOk(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri?.AbsolutePath}: {body}");
        return body;
    }

    private sealed class AuthorizationCapture : DelegatingHandler
    {
        public string? Last { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request.Headers.GetValues("Authorization").Single();
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The provider process, on 127.0.0.1 and a free port it reports on its first stdout line.</summary>
    private sealed class Provider : IDisposable
    {
        private readonly Process process;

        private Provider(Process process, int port)
        {
            this.process = process;
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        }

        public Uri BaseAddress { get; }

        public static async Task<Provider> StartAsync()
        {
            var process = Process.Start(PythonInterop.StartInfo("oauthlib_provider.py", "0", "--consumer-key", ConsumerKey, "--consumer-secret", ConsumerSecret))!;
            process.StandardInput.Close();
            _ = process.StandardError.ReadToEndAsync(); // request log; drained so the pipe never fills
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (!int.TryParse(firstLine, out var port))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"oauthlib_provider.py did not report a port (first line: '{firstLine}', exit: {(process.HasExited ? process.ExitCode : "running")}). {PythonInterop.InstallHint}");
            }

            return new Provider(process, port);
        }

        public void Dispose()
        {
            if (!this.process.HasExited)
            {
                this.process.Kill(entireProcessTree: true);
                this.process.WaitForExit(5000);
            }

            this.process.Dispose();
        }
    }
}
