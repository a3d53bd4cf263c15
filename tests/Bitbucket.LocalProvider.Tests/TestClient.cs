using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.LocalProvider.Tests;

/// <summary>
/// Signs requests with the project's signer (OAuthRequestSigner), with nonce and timestamp under the
/// test's control, and never follows redirects (the approve step's 302 is asserted).
/// </summary>
internal sealed class TestClient : IDisposable
{
    public const string Callback = "http://127.0.0.1:9/callback?state=xyz";

    public static readonly OAuthCredentials DemoConsumer = new("bb-local", "bb-local-secret", null, null, SignatureMethod.HmacSha1);
    public static readonly OAuthCredentials OtherConsumer = new("other-app", "other-secret", null, null, SignatureMethod.HmacSha1);

    public TestClient(Uri baseUri)
    {
        BaseUri = baseUri;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUri };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string NewNonce() => new RandomNonceSource().NextNonce();

    /// <summary>The Authorization header the signer makes for this request.</summary>
    public string Sign(
        HttpMethod method,
        string pathAndQuery,
        OAuthCredentials credentials,
        string? formBody = null,
        IEnumerable<KeyValuePair<string, string>>? extra = null,
        string? nonce = null,
        long? timestamp = null) =>
        OAuthRequestSigner.CreateAuthorizationHeader(
            method.Method, new Uri(BaseUri, pathAndQuery), formBody, credentials, nonce ?? NewNonce(), timestamp ?? Now, extra);

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        OAuthCredentials credentials,
        HttpContent? content = null,
        IEnumerable<KeyValuePair<string, string>>? extra = null,
        string? nonce = null,
        long? timestamp = null)
    {
        var form = content is not null && content.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded"
            ? content.ReadAsStringAsync().GetAwaiter().GetResult()
            : null;
        var header = Sign(method, pathAndQuery, credentials, form, extra, nonce, timestamp);
        return SendWithHeaderAsync(method, pathAndQuery, header, content);
    }

    public Task<HttpResponseMessage> SendWithHeaderAsync(HttpMethod method, string pathAndQuery, string? authorization, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, pathAndQuery)) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, OAuthCredentials credentials) =>
        SendAsync(HttpMethod.Get, pathAndQuery, credentials);

    public async Task<JsonNode> GetJsonAsync(string pathAndQuery, OAuthCredentials credentials)
    {
        using var response = await GetAsync(pathAndQuery, credentials);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{pathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>RFC 5849 §2.1: returns consumer credentials extended with the request token.</summary>
    public async Task<OAuthCredentials> RequestTokenAsync(OAuthCredentials consumer, string callback = Callback)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/1.0/oauth/request_token", consumer, extra: [new("oauth_callback", callback)]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("application/x-www-form-urlencoded", response.Content.Headers.ContentType?.MediaType);
        var (token, secret, extra) = OAuthTokenResponse.Parse(body);
        Assert.Equal("true", extra["oauth_callback_confirmed"]);
        return consumer with { Token = token, TokenSecret = secret };
    }

    /// <summary>RFC 5849 §2.2: presses Approve (or Deny); returns the redirect's Location.</summary>
    public async Task<Uri> DecideAsync(string requestToken, string action = "approve")
    {
        using var response = await Http.PostAsync(
            "/api/1.0/oauth/authenticate",
            new FormUrlEncodedContent([new("oauth_token", requestToken), new("action", action)]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    public static string QueryValue(Uri uri, string name) =>
        OAuthEncoding.ParseQueryOrForm(uri.Query.TrimStart('?')).Single(p => p.Key == name).Value;

    /// <summary>RFC 5849 §2.3: exchanges the approved request token.</summary>
    public async Task<HttpResponseMessage> AccessTokenResponseAsync(OAuthCredentials requestToken, string verifier) =>
        await SendAsync(HttpMethod.Post, "/api/1.0/oauth/access_token", requestToken, extra: [new("oauth_verifier", verifier)]);

    /// <summary>The whole three-legged flow; returns credentials holding the access token.</summary>
    public async Task<OAuthCredentials> LoginAsync(OAuthCredentials consumer)
    {
        var requestToken = await RequestTokenAsync(consumer);
        var location = await DecideAsync(requestToken.Token!);
        using var response = await AccessTokenResponseAsync(requestToken, QueryValue(location, "oauth_verifier"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var (token, secret, _) = OAuthTokenResponse.Parse(body);
        return consumer with { Token = token, TokenSecret = secret };
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>Starting providers for tests: test hooks on, plus a second consumer and an RSA-SHA1 one.</summary>
internal static class TestProvider
{
    public static readonly RSA RsaKey = RSA.Create(2048);

    public static OAuthCredentials RsaConsumer => new("rsa-app", "", null, null, SignatureMethod.RsaSha1, RsaKey);

    public static LocalProviderOptions Options()
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(RsaKey.ExportSubjectPublicKeyInfo(), out _);
        return new LocalProviderOptions
        {
            TestHooks = true,
            Consumers =
            [
                LocalConsumer.Default,
                new LocalConsumer("other-app", "other-secret", "Other app"),
                new LocalConsumer("rsa-app", "", "RSA app", publicKey),
            ],
        };
    }

    public static Task<RunningProvider> StartAsync(Func<LocalProviderOptions, LocalProviderOptions>? configure = null) =>
        LocalProviderServer.StartAsync((configure ?? (o => o))(Options()), CancellationToken.None);

    public static async Task<(string Message, HttpResponseMessage Response)> ErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body)!;
        Assert.Equal("error", json["type"]!.GetValue<string>());
        return (json["error"]!["message"]!.GetValue<string>(), response);
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>One provider per test class, and a client already logged in as alice.</summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    private RunningProvider? provider;
    private TestClient? client;

    internal RunningProvider Provider => provider!;

    internal TestClient Client => client!;

    internal OAuthCredentials Alice { get; private set; } = TestClient.DemoConsumer;

    public async Task InitializeAsync()
    {
        provider = await TestProvider.StartAsync();
        client = new TestClient(provider.BaseUri);
        Alice = await client.LoginAsync(TestClient.DemoConsumer);
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }
}
