using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>The OAuth 1.0a three-legged login end to end against the bundled local provider.</summary>
[Collection(ProviderCollection.Name)]
public sealed class LoginTests(ProviderFixture provider)
{
    [Fact]
    public async Task Login_captures_the_verifier_stores_0600_credentials_and_lists_branches()
    {
        using var bb = new BbProcess();

        var login = await provider.LoginAsync(bb);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in to local as alice", login.Stderr, StringComparison.Ordinal);
        var hosts = Path.Combine(bb.ConfigDir, "hosts.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(hosts));
        Assert.DoesNotContain(ProviderFixture.ConsumerSecret, login.Stdout + login.Stderr, StringComparison.Ordinal);

        var branches = await bb.RunAsync("branches", "list", "alice", "demo");

        Assert.True(branches.ExitCode == 0, branches.ToString());
        using var page = JsonDocument.Parse(branches.Stdout);
        var names = page.RootElement.GetProperty("values").EnumerateArray().Select(b => b.GetProperty("name").GetString()).ToList();
        Assert.Contains("main", names);
        Assert.Contains("feature/login", names);
    }

    [Fact]
    public async Task Status_checks_the_stored_login_and_logout_removes_the_secrets()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            var account = stored.RootElement.GetProperty("hosts").GetProperty("local").GetProperty("accounts").GetProperty("alice");
            Assert.False(string.IsNullOrEmpty(account.GetProperty("tokenSecret").GetString()));
        }

        var secret = JsonDocument.Parse(bb.HostsJson).RootElement.GetProperty("hosts").GetProperty("local").GetProperty("accounts").GetProperty("alice").GetProperty("tokenSecret").GetString()!;

        var status = await bb.RunAsync("auth", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("alice", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, status.Stdout + status.Stderr, StringComparison.Ordinal);

        var logout = await bb.RunAsync("auth", "logout", "--host", "local");
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.DoesNotContain(secret, bb.HostsJson, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderFixture.ConsumerSecret, bb.HostsJson, StringComparison.Ordinal);

        var after = await bb.RunAsync("auth", "status");
        Assert.Equal(4, after.ExitCode);
    }

    [Fact]
    public async Task Wrong_consumer_secret_exits_4_with_one_line_saying_what_to_do()
    {
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = "not-the-secret";

        var login = await provider.LoginAsync(bb);

        Assert.True(login.ExitCode == 4, login.ToString());
        var line = Assert.Single(login.Stderr.Trim().Split('\n'));
        Assert.Contains("consumer key and secret", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", login.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bb.ConfigDir, "hosts.json")) && bb.HostsJson.Contains("accounts\": {\n        \"alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_token_exits_4_with_a_hint_to_log_in()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var hosts = Path.Combine(bb.ConfigDir, "hosts.json");
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            var token = stored.RootElement.GetProperty("hosts").GetProperty("local").GetProperty("accounts").GetProperty("alice").GetProperty("token").GetString()!;
            await File.WriteAllTextAsync(hosts, bb.HostsJson.Replace(token, "tampered" + token[8..], StringComparison.Ordinal));
        }

        var result = await bb.RunAsync("user", "get");
        var status = await bb.RunAsync("auth", "status");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("bb auth login", Assert.Single(result.Stderr.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(4, status.ExitCode);
    }

    [Fact]
    public async Task Environment_credentials_work_without_a_stored_login()
    {
        using var first = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(first)).ExitCode);
        using var stored = JsonDocument.Parse(first.HostsJson);
        var account = stored.RootElement.GetProperty("hosts").GetProperty("local").GetProperty("accounts").GetProperty("alice");

        using var ci = new BbProcess();
        ci.Environment["BB_API_URL"] = provider.ApiUrl;
        ci.Environment["BB_CONSUMER_KEY"] = ProviderFixture.ConsumerKey;
        ci.Environment["BB_CONSUMER_SECRET"] = ProviderFixture.ConsumerSecret;
        ci.Environment["BB_ACCESS_TOKEN"] = account.GetProperty("token").GetString()!;
        ci.Environment["BB_ACCESS_TOKEN_SECRET"] = account.GetProperty("tokenSecret").GetString()!;

        var result = await ci.RunAsync("user", "get", "--query", "username");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("alice\n", result.Stdout);
        Assert.False(File.Exists(Path.Combine(ci.ConfigDir, "hosts.json")));
    }

    [Fact]
    public async Task Unauthenticated_calls_to_a_protected_endpoint_exit_4()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", provider.ApiUrl);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("bb auth login", result.Stderr, StringComparison.Ordinal);
    }
}
