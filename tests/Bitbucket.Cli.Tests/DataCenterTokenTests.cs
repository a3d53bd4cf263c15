using System.Text.Json;
using Bitbucket.Cli.Tests.Support;
using Bitbucket.LocalProvider;

namespace Bitbucket.Cli.Tests;

/// <summary>Issue 15 item 2 on Data Center: an HTTP access token from stdin, sent as Bearer to the REST API only.</summary>
public sealed class DataCenterTokenTests : IAsyncLifetime
{
    private const string HttpAccessToken = "dc-http-access-token-4242";
    private const string BasicToken = "dc-basic-token-77";

    private readonly string directory = Directory.CreateTempSubdirectory("bb-test-dc-token-").FullName;
    private RunningProvider? provider;

    private string ApiUrl => provider!.BaseUri.GetLeftPart(UriPartial.Authority) + "/bitbucket";

    public async Task InitializeAsync() =>
        provider = await LocalProviderServer.StartAsync(new LocalProviderOptions
        {
            Flavor = ProviderFlavor.DataCenter,
            ContextPath = "/bitbucket",
            RsaPrivateKeyOut = Path.Combine(directory, "consumer.pem"),
            TestHooks = true,
            SeedTokens = [HttpAccessToken],
            ApiTokens = [new Bitbucket.LocalProvider.OAuth2.LocalApiToken("alice", BasicToken)],
        });

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task An_http_access_token_logs_in_to_data_center_and_lists_branches()
    {
        using var bb = new BbProcess();

        var login = await bb.RunAsync(["auth", "login", "--host", "dc", "--api-url", ApiUrl, "--with-token"], HttpAccessToken + "\n", null);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to dc (Bitbucket Data Center 9.2.0) as alice (bearer token)", login.Stderr, StringComparison.Ordinal);
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            var host = stored.RootElement.GetProperty("hosts").GetProperty("dc");
            Assert.Equal("datacenter", host.GetProperty("flavor").GetString());
            Assert.Equal("bearer", host.GetProperty("accounts").GetProperty("alice").GetProperty("scheme").GetString());
        }

        var branches = await bb.RunAsync("branches", "list", "PROJ", "demo", "--host", "dc", "--verbose");

        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.Contains("\"displayId\"", branches.Stdout, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer <redacted>", branches.Stderr, StringComparison.Ordinal);
        CliAssert.NoSecrets("--verbose", branches.Stdout + branches.Stderr + login.Stderr, [HttpAccessToken]);

        var status = await bb.RunAsync("auth", "status", "--host", "dc");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("✓ valid (as alice)", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_username_and_token_log_in_to_data_center_with_basic()
    {
        using var bb = new BbProcess();

        var login = await bb.RunAsync(["auth", "login", "--host", "dc", "--api-url", ApiUrl, "--with-token", "--username", "alice"], BasicToken + "\n", null);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("as alice (basic (API token))", login.Stderr, StringComparison.Ordinal);
        var branches = await bb.RunAsync("branches", "list", "PROJ", "demo", "--host", "dc", "--verbose");
        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.Contains("Authorization: Basic <redacted>", branches.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_token_login_sends_nothing_and_exits_4()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await bb.RunAsync(["auth", "login", "--host", "dc", "--api-url", ApiUrl, "--with-token"], HttpAccessToken + "\n", null)).ExitCode);
        Assert.Equal(0, (await bb.RunAsync("auth", "logout", "--host", "dc")).ExitCode);
        using (var http = new HttpClient())
        {
            (await http.DeleteAsync(new Uri(provider!.BaseUri, "/__test/requests"))).EnsureSuccessStatusCode();
        }

        var result = await bb.RunAsync("branches", "list", "PROJ", "demo", "--host", "dc");

        Assert.Equal("bb: not logged in to dc; run bb auth login", CliAssert.OneErrorLine(result, 4));
        using var client = new HttpClient();
        using var log = JsonDocument.Parse(await client.GetStringAsync(new Uri(provider!.BaseUri, "/__test/requests")));
        Assert.Equal(0, log.RootElement.GetProperty("requests").GetArrayLength());
    }
}

/// <summary>Issue 15 item 3: the origin guard covers bearer tokens as it covers OAuth 1.0a signatures.</summary>
public sealed class TokenOriginGuardTests
{
    [Fact]
    public async Task A_redirect_to_another_origin_is_followed_without_the_bearer_token()
    {
        await using var other = RawHttpServer.Answering(200, """{"username":"moved"}""");
        await using var api = new RawHttpServer((request, stream, _) =>
            RawHttpServer.WriteResponseAsync(stream, 302, string.Empty, string.Empty, ("Location", other.Origin + "/elsewhere/user")));
        using var bb = new BbProcess();
        bb.Environment["BB_TOKEN"] = "guarded-token-1234";

        var result = await bb.RunAsync("user", "get", "--api-url", api.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Bearer guarded-token-1234", Assert.Single(api.Requests).Header("Authorization"));
        Assert.Null(Assert.Single(other.Requests).Header("Authorization"));
    }
}
