using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bitbucket.LocalProvider;
using Bitbucket.LocalProvider.OAuth2;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>
/// The local provider as Bitbucket Cloud with every login scheme: OAuth 1.0a, OAuth 2.0 (the
/// <c>/site/oauth2/…</c> endpoints), a seeded bearer token and an API token for HTTP Basic.
/// </summary>
public sealed partial class TokenProviderFixture : IAsyncLifetime
{
    public const string ConsumerKey = "bb-local";
    public const string ConsumerSecret = "bb-local-secret";
    public const string BearerToken = "seeded-bearer-token-0123456789";
    public const string ApiLogin = "alice@example.com";
    public const string ApiToken = "seeded-api-token-9876543210";

    private RunningProvider? provider;

    public string ApiUrl => provider!.BaseUri.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync() =>
        provider = await LocalProviderServer.StartAsync(new LocalProviderOptions
        {
            TestHooks = true,
            SeedTokens = [BearerToken],
            ApiTokens = [new LocalApiToken(ApiLogin, ApiToken)],
        });

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }

    /// <summary>
    /// <c>bb auth login --oauth2 --no-browser</c> under <paramref name="host"/>, approving the printed
    /// authorize URL like a browser: load the page, post Approve, follow the redirect to bb's listener.
    /// </summary>
    public Task<BbResult> LoginOAuth2Async(BbProcess bb, string host = "cloud", params string[] extra)
    {
        bb.Environment["BB_CONSUMER_SECRET"] = ConsumerSecret;
        var args = new List<string> { "auth", "login", "--host", host, "--api-url", ApiUrl, "--consumer-key", ConsumerKey, "--oauth2", "--no-browser", "--timeout", "60" };
        args.AddRange(extra);
        return bb.RunAsync(args, stdin: null, onStderrLine: async line =>
        {
            if (line.StartsWith(ApiUrl + "/site/oauth2/authorize?", StringComparison.Ordinal))
            {
                await ApproveAsync(new Uri(line.Trim()), "approve");
            }
        });
    }

    /// <summary>What a person's browser does on the authorize page: the form posts back, the provider redirects to the callback.</summary>
    public static async Task<HttpStatusCode> ApproveAsync(Uri authorizeUrl, string action)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await http.GetStringAsync(authorizeUrl);
        Assert.Matches(FormAction(), page);
        using var decided = await http.PostAsync(authorizeUrl, new FormUrlEncodedContent([new("action", action)]));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        using var callback = await http.GetAsync(decided.Headers.Location);
        return callback.StatusCode;
    }

    /// <summary>Every OAuth 2.0 access token the provider issued expires now.</summary>
    public async Task ExpireAccessTokensAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(ApiUrl + "/__test/oauth2/expire"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>How many refresh grants the provider has honoured.</summary>
    public async Task<int> RefreshesAsync()
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(ApiUrl + "/__test/oauth2")));
        return document.RootElement.GetProperty("refreshes").GetInt32();
    }

    /// <summary>The recorded requests: request line and Authorization header.</summary>
    public async Task<List<(string Method, string Target, string? Authorization, int Status)>> RequestsAsync()
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(ApiUrl + "/__test/requests")));
        return document.RootElement.GetProperty("requests").EnumerateArray().Select(r =>
        {
            string? authorization = null;
            foreach (var header in r.GetProperty("headers").EnumerateObject())
            {
                if (header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    authorization = header.Value.GetString();
                }
            }

            return (r.GetProperty("method").GetString()!, r.GetProperty("target").GetString()!, authorization, r.GetProperty("status").GetInt32());
        }).ToList();
    }

    public async Task ClearRequestsAsync()
    {
        using var http = new HttpClient();
        using var response = await http.DeleteAsync(new Uri(ApiUrl + "/__test/requests"));
        response.EnsureSuccessStatusCode();
    }

    [GeneratedRegex("<form method=\"post\"")]
    private static partial Regex FormAction();
}

[CollectionDefinition(Name)]
public sealed class TokenProviderCollection : ICollectionFixture<TokenProviderFixture>
{
    public const string Name = "local provider with every login scheme";
}
