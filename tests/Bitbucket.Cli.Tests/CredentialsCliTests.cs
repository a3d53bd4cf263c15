using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// hosts.json through the real bb: private from birth, repaired when loose, never overwritten when
/// corrupt, emptied of secrets on logout, and safe under concurrent logins.
/// </summary>
public sealed class CredentialsCliTests(ProviderFixture provider) : IClassFixture<ProviderFixture>
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_corrupt_hosts_json_is_one_line_naming_the_file_and_is_never_overwritten()
    {
        using var bb = new BbProcess();
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        var corrupt = Encoding.UTF8.GetBytes("{\"version\":1,\"hosts\":{\"local\":{\"apiUrl\":\"http://127.0.0.1:1\",\"consumerSecret\":\"keep-this-secret-private\",\"acc");
        await File.WriteAllBytesAsync(path, corrupt);
        File.SetUnixFileMode(path, Private);

        var status = await bb.RunAsync("auth", "status");
        var login = await provider.LoginAsync(bb);
        var call = await bb.RunAsync("user", "get", "--api-url", provider.ApiUrl);
        var logout = await bb.RunAsync("auth", "logout", "--host", "local");

        foreach (var result in new[] { status, login, call, logout })
        {
            var line = CliAssert.OneErrorLine(result, 1);
            Assert.Contains(path, line, StringComparison.Ordinal);
            Assert.DoesNotContain("keep-this-secret-private", result.Stdout + result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(corrupt, await File.ReadAllBytesAsync(path));
        Assert.DoesNotContain(Directory.GetFiles(bb.ConfigDir), f => f != path && !f.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hosts_json_created_by_bb_is_0600_in_a_0700_directory_with_a_0600_lock_file()
    {
        using var bb = new BbProcess();
        var dir = Path.Combine(bb.ConfigDir, "fresh", "bb");
        bb.Environment["BB_CONFIG_DIR"] = dir;

        var login = await provider.LoginAsync(bb);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(dir, "hosts.json")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(dir, "hosts.json.lock")));
        Assert.Equal(Private | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        Assert.Equal(["hosts.json", "hosts.json.lock"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_world_readable_hosts_json_is_reported_and_made_0600()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        var before = await File.ReadAllBytesAsync(path);
        File.SetUnixFileMode(path, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var status = await bb.RunAsync("auth", "status");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal($"bb: warning: fixed permissions of {path} (was 0644)", Assert.Single(CliAssert.StderrLines(status)));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));

        var again = await bb.RunAsync("auth", "status");
        Assert.Empty(CliAssert.StderrLines(again));
    }

    [Fact]
    public async Task Logout_removes_the_token_and_the_secrets_from_the_bytes_on_disk()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var (token, tokenSecret) = ProviderLogin.StoredToken(bb);
        var stored = await File.ReadAllBytesAsync(Path.Combine(bb.ConfigDir, "hosts.json"));
        Assert.True(Contains(stored, token) && Contains(stored, tokenSecret) && Contains(stored, ProviderFixture.ConsumerSecret), "the login stored what the test looks for");

        var logout = await bb.RunAsync("auth", "logout", "--host", "local");

        Assert.True(logout.ExitCode == 0, logout.ToString());
        foreach (var file in Directory.GetFiles(bb.ConfigDir))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in new[] { token, tokenSecret, ProviderFixture.ConsumerSecret })
            {
                Assert.False(Contains(bytes, secret), $"{Path.GetFileName(file)} still holds a secret after logout");
            }
        }

        using var after = JsonDocument.Parse(bb.HostsJson);
        var host = after.RootElement.GetProperty("hosts").GetProperty("local");
        Assert.Equal(ProviderFixture.ConsumerKey, host.GetProperty("consumerKey").GetString()); // the key is not secret: kept
        Assert.Empty(host.GetProperty("accounts").EnumerateObject());
        Assert.Equal(4, (await bb.RunAsync("auth", "status")).ExitCode);
    }

    [Fact]
    public async Task Two_concurrent_logins_to_different_hosts_both_end_up_in_the_file()
    {
        using var one = new BbProcess();
        using var two = new BbProcess();
        two.Environment["BB_CONFIG_DIR"] = one.ConfigDir;

        var results = await Task.WhenAll(
            ProviderLogin.LoginAsync(one, provider.ApiUrl, "one", ProviderFixture.ConsumerKey, ProviderFixture.ConsumerSecret),
            ProviderLogin.LoginAsync(two, provider.ApiUrl, "two", ProviderFixture.ConsumerKey, ProviderFixture.ConsumerSecret));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        using var stored = JsonDocument.Parse(one.HostsJson);
        var hosts = stored.RootElement.GetProperty("hosts");
        foreach (var name in new[] { "one", "two" })
        {
            var account = hosts.GetProperty(name).GetProperty("accounts").GetProperty("alice");
            Assert.False(string.IsNullOrEmpty(account.GetProperty("token").GetString()), name);
        }

        Assert.NotEqual(ProviderLogin.StoredToken(one, "one").Token, ProviderLogin.StoredToken(one, "two").Token);
        var status = await one.RunAsync("auth", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(2, status.Stdout.Split('\n').Count(l => l.Contains("✓ valid (as alice)", StringComparison.Ordinal)));
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
