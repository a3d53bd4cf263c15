using System.Net;
using Bitbucket.LocalProvider;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>The bundled local OAuth 1.0a provider, in-process on 127.0.0.1, with test hooks.</summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    public const string ConsumerKey = "bb-local";
    public const string ConsumerSecret = "bb-local-secret";

    private RunningProvider? provider;

    public Uri BaseUri => provider!.BaseUri;

    public string ApiUrl => BaseUri.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync() =>
        provider = await LocalProviderServer.StartAsync(new LocalProviderOptions { TestHooks = true, AutoApprove = true });

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }

    /// <summary>
    /// Logs <paramref name="bb"/> in with <c>--no-browser</c>, approving the printed authorize URL
    /// the way a person's browser would: load the page, submit the approve form, follow the
    /// redirect to bb's callback listener.
    /// </summary>
    public async Task<BbResult> LoginAsync(BbProcess bb, params string[] extra)
    {
        bb.Environment["BB_CONSUMER_SECRET"] = bb.Environment.GetValueOrDefault("BB_CONSUMER_SECRET", ConsumerSecret);
        var args = new List<string> { "auth", "login", "--host", "local", "--api-url", ApiUrl, "--consumer-key", ConsumerKey, "--no-browser", "--timeout", "60" };
        args.AddRange(extra);
        return await bb.RunAsync(args, stdin: null, onStderrLine: async line =>
        {
            if (line.StartsWith(ApiUrl, StringComparison.Ordinal) && line.Contains("oauth_token=", StringComparison.Ordinal))
            {
                await ApproveAsync(new Uri(line.Trim()));
            }
        });
    }

    public static async Task ApproveAsync(Uri authorizeUrl)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await http.GetStringAsync(authorizeUrl);
        Assert.Contains("approve", page, StringComparison.OrdinalIgnoreCase);
        var token = System.Web.HttpUtility.ParseQueryString(authorizeUrl.Query)["oauth_token"]!;
        using var approve = await http.PostAsync(
            new Uri(authorizeUrl, authorizeUrl.AbsolutePath),
            new FormUrlEncodedContent([new("oauth_token", token), new("action", "approve")]));
        Assert.Equal(HttpStatusCode.Found, approve.StatusCode);
        using var callback = await http.GetAsync(approve.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
    }

    public async Task<string> GetAsync(string path)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(BaseUri, path));
    }

    public async Task PostAsync(string pathAndQuery)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(BaseUri, pathAndQuery), null);
        response.EnsureSuccessStatusCode();
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "local provider";
}
