using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Policies that protect secrets before anything is sent: PLAINTEXT only over TLS or to loopback,
/// and a warning for an RSA private key other users can read.
/// </summary>
public sealed class SecurityPolicyTests(ProviderFixture provider, RsaProviderFixture rsa)
    : IClassFixture<ProviderFixture>, IClassFixture<RsaProviderFixture>
{
    [Fact]
    public async Task Plaintext_login_over_plain_http_to_a_remote_host_is_a_usage_error_before_any_traffic()
    {
        await using var oauth = RawHttpServer.Answering(200, "oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true", "application/x-www-form-urlencoded");
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = "plaintext-consumer-secret";

        // The OAuth endpoints are reachable (loopback), the API is not: the whole login is refused up front.
        var remoteApi = await bb.RunAsync(
            "auth", "login", "--host", "remote", "--signature-method", "PLAINTEXT", "--consumer-key", "k", "--no-browser",
            "--api-url", "http://example.invalid",
            "--request-token-url", oauth.Origin + "/rt", "--authorize-url", oauth.Origin + "/auth", "--access-token-url", oauth.Origin + "/at");

        // Exit 2, not 1: had bb tried the network, example.invalid would have failed to resolve (exit 1).
        var onlyRemote = await bb.RunAsync(
            "auth", "login", "--host", "remote", "--signature-method", "PLAINTEXT", "--consumer-key", "k", "--no-browser",
            "--api-url", "http://example.invalid");

        // And the other way round: a loopback API with a remote plain-http token endpoint.
        var remoteToken = await bb.RunAsync(
            "auth", "login", "--host", "remote", "--signature-method", "plaintext", "--consumer-key", "k", "--no-browser",
            "--api-url", oauth.Origin, "--access-token-url", "http://example.invalid/at");

        foreach (var result in new[] { remoteApi, onlyRemote, remoteToken })
        {
            var line = CliAssert.OneErrorLine(result, 2);
            Assert.Contains("PLAINTEXT", line, StringComparison.Ordinal);
            Assert.Contains("example.invalid", line, StringComparison.Ordinal);
            Assert.DoesNotContain("plaintext-consumer-secret", result.Stdout + result.Stderr, StringComparison.Ordinal);
        }

        Assert.Empty(oauth.Requests);
        Assert.False(File.Exists(Path.Combine(bb.ConfigDir, "hosts.json")));
    }

    [Fact]
    public async Task Plaintext_to_loopback_works_and_its_credentials_are_then_refused_for_a_remote_plain_http_api()
    {
        using var bb = new BbProcess();

        var login = await provider.LoginAsync(bb, "--signature-method", "PLAINTEXT");

        Assert.True(login.ExitCode == 0, login.ToString());
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            Assert.Equal("PLAINTEXT", stored.RootElement.GetProperty("hosts").GetProperty("local").GetProperty("signatureMethod").GetString());
        }

        var call = await bb.RunAsync("user", "get", "--query", "username");
        Assert.True(call.ExitCode == 0, call.ToString());
        Assert.Equal("alice\n", call.Stdout);

        // The same stored PLAINTEXT login must not be sent in clear to a non-loopback http origin.
        foreach (var args in new[]
        {
            new[] { "user", "get", "--api-url", "http://example.invalid" },
            ["api", "/2.0/user", "--api-url", "http://example.invalid", "--dry-run"],
        })
        {
            var refused = await bb.RunAsync(args);
            Assert.Contains("PLAINTEXT", CliAssert.OneErrorLine(refused, 2), StringComparison.Ordinal);
            var (_, tokenSecret) = ProviderLogin.StoredToken(bb);
            Assert.DoesNotContain(tokenSecret, refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_rsa_key_readable_by_others_is_reported_by_name_and_a_private_one_is_not()
    {
        using var bb = new BbProcess();
        var key = Path.Combine(bb.Home, "my key.pem");
        File.Copy(rsa.KeyFile, key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var warning = $"bb: warning: the RSA key {key} is readable by other users; run chmod 600 {key}";

        var login = await ProviderLogin.LoginAsync(bb, rsa.ApiUrl, "rsa", RsaProviderFixture.ConsumerKey, consumerSecret: null, "--signature-method", "RSA-SHA1", "--rsa-key", key);
        var call = await bb.RunAsync("user", "get", "--query", "username");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains(warning, CliAssert.StderrLines(login));
        Assert.True(call.ExitCode == 0, call.ToString());
        Assert.Equal("alice\n", call.Stdout);
        Assert.Equal(warning, Assert.Single(CliAssert.StderrLines(call)));

        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var groupReadable = await bb.RunAsync("user", "get");
        Assert.Equal(warning, Assert.Single(CliAssert.StderrLines(groupReadable)));

        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var quiet = await bb.RunAsync("user", "get");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Empty(CliAssert.StderrLines(quiet));
    }
}
