using System.Text.Json;
using System.Text.Json.Nodes;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 15 items 1–4: OAuth 2.0 with refresh, tokens from stdin (bearer and basic), BB_TOKEN,
/// <c>bb auth switch</c> and <c>bb auth token</c>, each through the built bb against the local provider.
/// </summary>
[Collection(TokenProviderCollection.Name)]
public sealed class AuthSchemeTests(TokenProviderFixture provider)
{
    private static JsonElement Account(BbProcess bb, string host, string account)
    {
        using var stored = JsonDocument.Parse(bb.HostsJson);
        return stored.RootElement.GetProperty("hosts").GetProperty(host).GetProperty("accounts").GetProperty(account).Clone();
    }

    private static void EditAccount(BbProcess bb, string host, string account, Action<JsonObject> edit)
    {
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        edit(root["hosts"]![host]!["accounts"]![account]!.AsObject());
        File.WriteAllText(path, root.ToJsonString());
    }

    private Task<BbResult> TokenLoginAsync(BbProcess bb, string token, params string[] extra) =>
        bb.RunAsync(["auth", "login", "--host", "cloud", "--api-url", provider.ApiUrl, "--with-token", .. extra], stdin: token + "\n", onStderrLine: null);

    [Fact]
    public async Task With_token_reads_a_bearer_token_from_stdin_stores_it_and_sends_it_redacted()
    {
        using var bb = new BbProcess();

        var login = await TokenLoginAsync(bb, TokenProviderFixture.BearerToken);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to cloud as alice (bearer token)", login.Stderr, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(bb.ConfigDir, "hosts.json")));
        var account = Account(bb, "cloud", "alice");
        Assert.Equal("bearer", account.GetProperty("scheme").GetString());
        Assert.Equal(TokenProviderFixture.BearerToken, account.GetProperty("token").GetString());
        Assert.False(account.TryGetProperty("tokenSecret", out _));

        await provider.ClearRequestsAsync();
        var user = await bb.RunAsync("user", "get", "--verbose");

        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Equal("alice", JsonDocument.Parse(user.Stdout).RootElement.GetProperty("username").GetString());
        Assert.Contains("Authorization: Bearer <redacted>", user.Stderr, StringComparison.Ordinal);
        CliAssert.NoSecrets("--verbose", user.Stdout + user.Stderr + login.Stdout + login.Stderr, [TokenProviderFixture.BearerToken]);
        var sent = Assert.Single(await provider.RequestsAsync(), r => r.Target == "/2.0/user");
        Assert.Equal("Bearer " + TokenProviderFixture.BearerToken, sent.Authorization);
    }

    [Fact]
    public async Task With_token_and_username_logs_in_with_an_api_token_over_basic()
    {
        using var bb = new BbProcess();

        var login = await TokenLoginAsync(bb, TokenProviderFixture.ApiToken, "--username", TokenProviderFixture.ApiLogin);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("basic", Account(bb, "cloud", TokenProviderFixture.ApiLogin).GetProperty("scheme").GetString());
        await provider.ClearRequestsAsync();
        var user = await bb.RunAsync("user", "get", "--query", "username");
        Assert.True(user.ExitCode == 0, user.ToString());
        var sent = Assert.Single(await provider.RequestsAsync(), r => r.Target == "/2.0/user");
        Assert.StartsWith("Basic ", sent.Authorization, StringComparison.Ordinal);
        Assert.Equal(200, sent.Status);
    }

    [Fact]
    public async Task A_refused_token_exits_4_and_stores_nothing()
    {
        using var bb = new BbProcess();

        var login = await TokenLoginAsync(bb, "not-a-token");

        Assert.Contains("refused the token", CliAssert.OneErrorLine(login, 4), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bb.ConfigDir, "hosts.json")) && bb.HostsJson.Contains("not-a-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_token_and_an_empty_stdin_is_a_usage_error()
    {
        using var bb = new BbProcess();

        var login = await TokenLoginAsync(bb, "");

        Assert.Contains("stdin held no token", CliAssert.OneErrorLine(login, 2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BB_TOKEN_authenticates_a_run_without_any_stored_login()
    {
        using var bb = new BbProcess();
        bb.Environment["BB_TOKEN"] = TokenProviderFixture.BearerToken;
        bb.Environment["BB_API_URL"] = provider.ApiUrl;

        var user = await bb.RunAsync("user", "get", "--query", "username");

        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Equal("alice\n", user.Stdout);
        bb.Environment["BB_USERNAME"] = TokenProviderFixture.ApiLogin;
        bb.Environment["BB_TOKEN"] = TokenProviderFixture.ApiToken;
        var basic = await bb.RunAsync("user", "get", "--query", "username");
        Assert.True(basic.ExitCode == 0, basic.ToString());
    }

    [Fact]
    public async Task OAuth2_login_goes_through_the_callback_with_state_and_stores_the_pair()
    {
        using var bb = new BbProcess();

        var login = await provider.LoginOAuth2Async(bb, "cloud", "--callback-port", "0", "--verbose");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to cloud as alice (OAuth 2.0)", login.Stderr, StringComparison.Ordinal);
        Assert.Contains("The consumer's callback URL must be exactly http://127.0.0.1:", login.Stderr, StringComparison.Ordinal);
        Assert.Contains("(grant_type=authorization_code&code=<redacted>&redirect_uri=http", login.Stderr, StringComparison.Ordinal);
        var account = Account(bb, "cloud", "alice");
        Assert.Equal("oauth2", account.GetProperty("scheme").GetString());
        Assert.False(string.IsNullOrEmpty(account.GetProperty("refreshToken").GetString()));
        Assert.True(account.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        CliAssert.NoSecrets("login output", login.Stdout + login.Stderr, [TokenProviderFixture.ConsumerSecret, account.GetProperty("token").GetString()!, account.GetProperty("refreshToken").GetString()!]);

        var user = await bb.RunAsync("user", "get", "--query", "username");
        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Equal("alice\n", user.Stdout);
    }

    [Fact]
    public async Task A_fixed_callback_port_is_the_one_printed_and_listened_on()
    {
        using var bb = new BbProcess();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var login = await provider.LoginOAuth2Async(bb, "cloud", "--callback-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"The consumer's callback URL must be exactly http://127.0.0.1:{port}/callback\n", login.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_OAuth2_authorization_exits_4()
    {
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = TokenProviderFixture.ConsumerSecret;

        var login = await bb.RunAsync(
            ["auth", "login", "--host", "cloud", "--api-url", provider.ApiUrl, "--consumer-key", TokenProviderFixture.ConsumerKey, "--oauth2", "--no-browser", "--timeout", "60"],
            stdin: null,
            onStderrLine: async line =>
            {
                if (line.StartsWith(provider.ApiUrl + "/site/oauth2/authorize?", StringComparison.Ordinal))
                {
                    await TokenProviderFixture.ApproveAsync(new Uri(line.Trim()), "deny");
                }
            });

        Assert.Contains("access was denied", CliAssert.StderrLines(login)[^1], StringComparison.Ordinal);
        Assert.Equal(4, login.ExitCode);
    }

    [Fact]
    public async Task An_expired_access_token_refused_with_401_is_refreshed_once_and_the_request_repeated()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginOAuth2Async(bb)).ExitCode);
        var before = Account(bb, "cloud", "alice");
        await provider.ExpireAccessTokensAsync();
        var refreshes = await provider.RefreshesAsync();
        await provider.ClearRequestsAsync();

        var user = await bb.RunAsync("user", "get", "--query", "username", "--verbose");

        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Equal(refreshes + 1, await provider.RefreshesAsync());
        var calls = (await provider.RequestsAsync()).Where(r => r.Target == "/2.0/user").Select(r => r.Status).ToList();
        Assert.Equal([401, 200], calls);
        var after = Account(bb, "cloud", "alice");
        Assert.Contains("(grant_type=refresh_token&refresh_token=<redacted>; Authorization: Basic <redacted>)", user.Stderr, StringComparison.Ordinal);
        CliAssert.NoSecrets("--verbose refresh", user.Stdout + user.Stderr, [
            before.GetProperty("token").GetString()!, before.GetProperty("refreshToken").GetString()!,
            after.GetProperty("token").GetString()!, after.GetProperty("refreshToken").GetString()!, TokenProviderFixture.ConsumerSecret]);
        Assert.NotEqual(before.GetProperty("token").GetString(), after.GetProperty("token").GetString());
        Assert.NotEqual(before.GetProperty("refreshToken").GetString(), after.GetProperty("refreshToken").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(bb.ConfigDir, "hosts.json")));
    }

    [Fact]
    public async Task A_token_past_its_stored_expiry_is_refreshed_before_it_is_sent()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginOAuth2Async(bb)).ExitCode);
        await provider.ExpireAccessTokensAsync();
        EditAccount(bb, "cloud", "alice", a => a["expiresAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var refreshes = await provider.RefreshesAsync();
        await provider.ClearRequestsAsync();

        var user = await bb.RunAsync("user", "get", "--query", "username");

        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Equal(refreshes + 1, await provider.RefreshesAsync());
        Assert.Equal([200], (await provider.RequestsAsync()).Where(r => r.Target == "/2.0/user").Select(r => r.Status).ToList());
    }

    [Fact]
    public async Task Two_bb_processes_refreshing_at_once_refresh_once_and_lose_nothing()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginOAuth2Async(bb)).ExitCode);
        await provider.ExpireAccessTokensAsync();
        var refreshes = await provider.RefreshesAsync();

        var runs = await Task.WhenAll(bb.RunAsync("user", "get", "--query", "username"), bb.RunAsync("user", "get", "--query", "username"));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        // The refresh token rotates: a second refresh with the same one would have been refused.
        Assert.Equal(refreshes + 1, await provider.RefreshesAsync());
        var third = await bb.RunAsync("user", "get", "--query", "username");
        Assert.True(third.ExitCode == 0, third.ToString());
    }

    [Fact]
    public async Task A_refused_refresh_exits_4_after_one_attempt_without_looping()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginOAuth2Async(bb)).ExitCode);
        await provider.ExpireAccessTokensAsync();
        EditAccount(bb, "cloud", "alice", a => a["refreshToken"] = "revoked-refresh-token");
        await provider.ClearRequestsAsync();

        var user = await bb.RunAsync("user", "get");

        Assert.Contains("run bb auth login", CliAssert.OneErrorLine(user, 4), StringComparison.Ordinal);
        var requests = await provider.RequestsAsync();
        Assert.Equal(401, Assert.Single(requests, r => r.Target == "/2.0/user").Status);
        Assert.Equal(400, Assert.Single(requests, r => r.Target == "/site/oauth2/access_token").Status);
        var token = await bb.RunAsync("auth", "token");
        Assert.Equal(0, token.ExitCode);
        EditAccount(bb, "cloud", "alice", a => a["expiresAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var refused = await bb.RunAsync("auth", "token");
        Assert.Contains("refused the token refresh", CliAssert.OneErrorLine(refused, 4), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_token_prints_the_stored_token_and_refreshes_an_expired_one()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginOAuth2Async(bb)).ExitCode);

        var token = await bb.RunAsync("auth", "token");

        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.Equal(Account(bb, "cloud", "alice").GetProperty("token").GetString(), token.Stdout.Trim());

        EditAccount(bb, "cloud", "alice", a => a["expiresAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var refreshed = await bb.RunAsync("auth", "token");
        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.NotEqual(token.Stdout, refreshed.Stdout);
        Assert.Equal(Account(bb, "cloud", "alice").GetProperty("token").GetString(), refreshed.Stdout.Trim());
    }

    [Fact]
    public async Task Auth_token_for_an_OAuth1_login_explains_and_points_to_auth_sign()
    {
        using var bb = new BbProcess();
        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "cloud", TokenProviderFixture.ConsumerKey, TokenProviderFixture.ConsumerSecret);
        Assert.True(login.ExitCode == 0, login.ToString());

        var token = await bb.RunAsync("auth", "token");

        var line = CliAssert.OneErrorLine(token, 1);
        Assert.Contains("OAuth 1.0a", line, StringComparison.Ordinal);
        Assert.Contains("bb auth sign", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, token.Stdout);
    }

    [Fact]
    public async Task Auth_token_without_a_login_exits_4()
    {
        using var bb = new BbProcess();

        var token = await bb.RunAsync("auth", "token");

        Assert.Equal("bb: not logged in to bitbucket.org; run bb auth login", CliAssert.OneErrorLine(token, 4));
    }

    [Fact]
    public async Task Auth_switch_changes_the_default_account_and_host()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await TokenLoginAsync(bb, TokenProviderFixture.BearerToken)).ExitCode);
        Assert.Equal(0, (await TokenLoginAsync(bb, TokenProviderFixture.ApiToken, "--username", TokenProviderFixture.ApiLogin)).ExitCode);
        Assert.Equal(TokenProviderFixture.ApiLogin, DefaultAccount(bb, "cloud"));

        var toggled = await bb.RunAsync("auth", "switch");

        Assert.True(toggled.ExitCode == 0, toggled.ToString());
        Assert.Contains("✓ Switched to cloud as alice", toggled.Stderr, StringComparison.Ordinal);
        Assert.Equal("alice", DefaultAccount(bb, "cloud"));
        Assert.Equal(TokenProviderFixture.BearerToken, (await bb.RunAsync("auth", "token")).Stdout.Trim());

        var named = await bb.RunAsync("auth", "switch", "--account", TokenProviderFixture.ApiLogin);
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Equal(TokenProviderFixture.ApiLogin, DefaultAccount(bb, "cloud"));

        var other = await bb.RunAsync(["auth", "login", "--host", "other", "--api-url", provider.ApiUrl, "--with-token"], TokenProviderFixture.BearerToken + "\n", null);
        Assert.True(other.ExitCode == 0, other.ToString());
        var host = await bb.RunAsync("auth", "switch", "--host", "other");
        Assert.True(host.ExitCode == 0, host.ToString());
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            Assert.Equal("other", stored.RootElement.GetProperty("defaultHost").GetString());
        }

        var unknown = await bb.RunAsync("auth", "switch", "--account", "nobody");
        Assert.Contains("no account 'nobody'", CliAssert.OneErrorLine(unknown, 1), StringComparison.Ordinal);
    }

    private static string? DefaultAccount(BbProcess bb, string host)
    {
        using var stored = JsonDocument.Parse(bb.HostsJson);
        return stored.RootElement.GetProperty("hosts").GetProperty(host).GetProperty("defaultAccount").GetString();
    }
}
