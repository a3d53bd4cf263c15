using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.LocalProvider.Tests;

/// <summary>Talking to the Data Center flavour: servlet paths under the context path, RSA-SHA1 consumer.</summary>
internal static partial class DataCenter
{
    public const string ContextPath = "/bitbucket";
    public const string Servlet = ContextPath + "/plugins/servlet/oauth";
    public const string Api = ContextPath + "/rest/api/1.0";

    /// <summary>The test's own key pair (TestProvider.RsaKey, made in memory): never a real key.</summary>
    public static OAuthCredentials Consumer => new("bb-dc", "", null, null, SignatureMethod.RsaSha1, TestProvider.RsaKey);

    public static LocalProviderOptions Options(string contextPath = ContextPath)
    {
        var publicKey = System.Security.Cryptography.RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(TestProvider.RsaKey.ExportSubjectPublicKeyInfo(), out _);
        return new LocalProviderOptions
        {
            Flavor = ProviderFlavor.DataCenter,
            ContextPath = contextPath,
            TestHooks = true,
            Consumers = [new LocalConsumer("bb-dc", "unused", "bb (Data Center test)", publicKey)],
        };
    }

    /// <summary>RFC 5849 §2.1 at the servlet; returns the consumer extended with the request token.</summary>
    public static async Task<OAuthCredentials> RequestTokenAsync(TestClient client, OAuthCredentials consumer, string callback = TestClient.Callback)
    {
        using var response = await client.SendAsync(HttpMethod.Post, Servlet + "/request-token", consumer, extra: [new("oauth_callback", callback)]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var (token, secret, _) = OAuthTokenResponse.Parse(body);
        return consumer with { Token = token, TokenSecret = secret };
    }

    /// <summary>
    /// Loads the authorize page and submits its approve form as a browser without JavaScript would:
    /// a plain form POST to the form's own action.
    /// </summary>
    public static async Task<HttpResponseMessage> ApproveAsync(TestClient client, string requestToken)
    {
        var page = await client.Http.GetStringAsync($"{Servlet}/authorize?oauth_token={requestToken}");
        var form = ApproveForm().Match(page);
        Assert.True(form.Success, page);
        var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
        return await client.Http.PostAsync(action, new FormUrlEncodedContent([new("oauth_token", requestToken), new("action", "approve")]));
    }

    public static async Task<OAuthCredentials> AccessTokenAsync(TestClient client, OAuthCredentials requestToken, string verifier)
    {
        using var response = await client.SendAsync(HttpMethod.Post, Servlet + "/access-token", requestToken, extra: [new("oauth_verifier", verifier)]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var (token, secret, _) = OAuthTokenResponse.Parse(body);
        return requestToken with { Token = token, TokenSecret = secret };
    }

    public static async Task<OAuthCredentials> LoginAsync(TestClient client, OAuthCredentials consumer)
    {
        var requestToken = await RequestTokenAsync(client, consumer);
        using var approved = await ApproveAsync(client, requestToken.Token!);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        return await AccessTokenAsync(client, requestToken, TestClient.QueryValue(approved.Headers.Location!, "oauth_verifier"));
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(
        TestClient client, HttpMethod method, string path, OAuthCredentials credentials, object? json = null)
    {
        using var response = await client.SendAsync(method, path, credentials, json is null ? null : JsonContent.Create(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The one error of a Data Center error body, checked for its shape.</summary>
    public static JsonObject SingleError(JsonNode? body)
    {
        var errors = body!["errors"]!.AsArray();
        var error = Assert.IsType<JsonObject>(Assert.Single(errors));
        Assert.True(error.ContainsKey("context"));
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["exceptionName"]!.GetValue<string>()));
        return error;
    }

    [GeneratedRegex("<form id=\"approve\" method=\"post\" action=\"(?<action>[^\"]+)\">")]
    private static partial Regex ApproveForm();
}

/// <summary>One Data Center provider (context path /bitbucket) per test class, and alice logged in through the servlet.</summary>
public sealed class DataCenterFixture : IAsyncLifetime
{
    private RunningProvider? provider;
    private TestClient? client;

    internal RunningProvider Provider => provider!;

    internal TestClient Client => client!;

    internal OAuthCredentials Alice { get; private set; } = DataCenter.Consumer;

    public async Task InitializeAsync()
    {
        provider = await LocalProviderServer.StartAsync(DataCenter.Options());
        client = new TestClient(provider.BaseUri);
        Alice = await DataCenter.LoginAsync(client, DataCenter.Consumer);
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
