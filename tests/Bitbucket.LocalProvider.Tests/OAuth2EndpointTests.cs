using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bitbucket.LocalProvider.OAuth2;

namespace Bitbucket.LocalProvider.Tests;

/// <summary>The provider's OAuth 2.0 endpoints and bearer/basic checks, driven with plain HTTP.</summary>
public sealed class OAuth2EndpointTests : IAsyncLifetime
{
    private const string Redirect = "http://127.0.0.1:9/callback";

    private RunningProvider? provider;
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false });

    private Uri Url(string pathAndQuery) => new(provider!.BaseUri, pathAndQuery);

    public async Task InitializeAsync() => provider = await LocalProviderServer.StartAsync(new LocalProviderOptions
    {
        TestHooks = true,
        SeedTokens = ["seed-token"],
        ApiTokens = [new LocalApiToken("a@example.com", "api-token")],
    });

    public async Task DisposeAsync()
    {
        http.Dispose();
        await provider!.DisposeAsync();
    }

    private async Task<string> CodeAsync()
    {
        var authorize = Url($"/site/oauth2/authorize?client_id=bb-local&response_type=code&state=s1&redirect_uri={Uri.EscapeDataString(Redirect)}");
        using var decided = await http.PostAsync(authorize, new FormUrlEncodedContent([new("action", "approve")]));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var location = decided.Headers.Location!;
        Assert.StartsWith(Redirect + "?code=", location.OriginalString, StringComparison.Ordinal);
        Assert.EndsWith("&state=s1", location.OriginalString, StringComparison.Ordinal);
        return System.Web.HttpUtility.ParseQueryString(location.Query)["code"]!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(string secret, params (string, string)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("/site/oauth2/access_token"))
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bb-local:" + secret)));
        using var response = await http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task<HttpStatusCode> UserAsync(string scheme, string parameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/2.0/user"));
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, parameter);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_code_is_exchanged_once_and_the_access_token_opens_the_api()
    {
        var code = await CodeAsync();

        var (status, body) = await TokenAsync("bb-local-secret", ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect));
        var (replayed, error) = await TokenAsync("bb-local-secret", ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7200, body.GetProperty("expires_in").GetInt64());
        Assert.Equal(HttpStatusCode.OK, await UserAsync("Bearer", body.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.BadRequest, replayed);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_wrong_client_secret_is_invalid_client()
    {
        var code = await CodeAsync();

        var (status, body) = await TokenAsync("wrong", ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_expired_access_tokens_say_so()
    {
        var (_, first) = await TokenAsync("bb-local-secret", ("grant_type", "authorization_code"), ("code", await CodeAsync()), ("redirect_uri", Redirect));
        (await http.PostAsync(Url("/__test/oauth2/expire"), null)).EnsureSuccessStatusCode();

        using (var request = new HttpRequestMessage(HttpMethod.Get, Url("/2.0/user")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", first.GetProperty("access_token").GetString());
            using var expired = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        var refresh = first.GetProperty("refresh_token").GetString()!;
        var (status, second) = await TokenAsync("bb-local-secret", ("grant_type", "refresh_token"), ("refresh_token", refresh));
        var (again, _) = await TokenAsync("bb-local-secret", ("grant_type", "refresh_token"), ("refresh_token", refresh));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await UserAsync("Bearer", second.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.BadRequest, again);
    }

    [Fact]
    public async Task Seeded_bearer_and_api_tokens_are_accepted_and_others_refused()
    {
        Assert.Equal(HttpStatusCode.OK, await UserAsync("Bearer", "seed-token"));
        Assert.Equal(HttpStatusCode.OK, await UserAsync("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("a@example.com:api-token"))));
        Assert.Equal(HttpStatusCode.Unauthorized, await UserAsync("Bearer", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, await UserAsync("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("a@example.com:nope"))));
    }

    [Fact]
    public async Task The_authorize_page_is_a_plain_form_and_deny_redirects_with_access_denied()
    {
        var authorize = Url($"/site/oauth2/authorize?client_id=bb-local&response_type=code&state=s2&redirect_uri={Uri.EscapeDataString(Redirect)}");

        var page = await http.GetStringAsync(authorize);
        using var denied = await http.PostAsync(authorize, new FormUrlEncodedContent([new("action", "deny")]));
        using var unknown = await http.GetAsync(Url($"/site/oauth2/authorize?client_id=nobody&response_type=code&redirect_uri={Uri.EscapeDataString(Redirect)}"));

        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.Equal(Redirect + "?error=access_denied&state=s2", denied.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }
}
