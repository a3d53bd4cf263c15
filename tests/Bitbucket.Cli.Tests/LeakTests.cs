using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Nothing leaked: after a real login, every way of running bb that prints more than usual
/// (<c>--verbose</c>, <c>--dry-run</c>, <c>BB_DEBUG=1</c>) and every error path keeps the consumer secret,
/// the token, the token secret and every signature off stdout and stderr.
/// </summary>
public sealed class LeakTests(ProviderFixture provider, ITestOutputHelper output) : IClassFixture<ProviderFixture>
{
    [Fact]
    public async Task A_stored_hmac_login_leaks_nothing_in_verbose_dry_run_debug_or_error_output()
    {
        using var bb = new BbProcess();
        bb.Environment["BB_DEBUG"] = "1";
        var login = await provider.LoginAsync(bb, "--verbose");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("oauth_signature=\"<redacted>\"", login.Stderr, StringComparison.Ordinal);
        bb.Environment.Remove("BB_DEBUG");
        var (token, tokenSecret) = ProviderLogin.StoredToken(bb);
        string[] secrets = [ProviderFixture.ConsumerSecret, token, tokenSecret];
        var runs = new LeakRuns(bb, secrets);
        runs.Check("auth login --verbose, BB_DEBUG=1", login);

        string[][] commands =
        [
            ["user", "get"],
            ["repos", "get", "alice", "demo"],
            ["api", "/2.0/user"],
            ["api", "/2.0/echo/form", "--form", "-f", "text=hello", "-F", "n=1"],
        ];
        foreach (var command in commands)
        {
            var verbose = await runs.RunAsync(debug: true, [.. command, "--verbose"]);
            Assert.True(verbose.ExitCode == 0, verbose.ToString());
            Assert.Contains("oauth_signature=\"<redacted>\"", verbose.Stderr, StringComparison.Ordinal);
            Assert.Contains("oauth_token=\"<redacted>\"", verbose.Stderr, StringComparison.Ordinal);
            var dryRun = await runs.RunAsync(debug: false, [.. command, "--dry-run"]);
            Assert.Contains("oauth_signature=\"<redacted>\"", dryRun.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await runs.RunAsync(debug: true, "user", "get")).ExitCode);

        await runs.RunAsync(debug: false, "branches", "list", "alice", "many", "--paginate", "--verbose");
        Assert.Equal(0, (await runs.RunAsync(debug: true, "auth", "status")).ExitCode);

        // Error paths, each as loud as bb can be.
        var dead = DeadPort();
        var missing = Path.Combine(bb.Home, "no-such-file.json");
        Assert.Equal(1, (await runs.RunAsync(debug: true, "repos", "get", "alice", "nosuch", "--verbose")).ExitCode);
        Assert.Equal(1, (await runs.RunAsync(debug: true, "api", "/2.0/repositories/alice/nosuch", "--verbose")).ExitCode);
        Assert.Equal(1, (await runs.RunAsync(debug: true, "user", "get", "--verbose", "--api-url", $"http://127.0.0.1:{dead}")).ExitCode);
        Assert.NotEqual(0, (await runs.RunAsync(debug: true, "prs", "create", "alice", "demo", "--verbose", "--input", missing)).ExitCode);
        var badField = await runs.RunAsync(debug: true, "prs", "create", "alice", "demo", "--verbose", "-f", "source.branch.name=x", "-F", "title=@" + missing);
        Assert.True(badField.ExitCode == 2 && badField.Stderr.Contains(missing, StringComparison.Ordinal), badField.ToString());
        Assert.NotEqual(0, (await runs.RunAsync(debug: true, "api", "/2.0/echo/form", "--form", "--verbose", "-F", "text=@" + missing)).ExitCode);

        // A tampered token: the server answers 401.
        using var tampered = new BbProcess();
        File.Copy(Path.Combine(bb.ConfigDir, "hosts.json"), Path.Combine(tampered.ConfigDir, "hosts.json"));
        var badToken = "tampered" + token[8..];
        await File.WriteAllTextAsync(Path.Combine(tampered.ConfigDir, "hosts.json"), tampered.HostsJson.Replace(token, badToken, StringComparison.Ordinal));
        var tamperedRuns = new LeakRuns(tampered, [.. secrets, badToken]);
        Assert.Equal(4, (await tamperedRuns.RunAsync(debug: true, "user", "get", "--verbose")).ExitCode);
        Assert.Equal(4, (await tamperedRuns.RunAsync(debug: true, "api", "/2.0/user", "--verbose")).ExitCode);
        Assert.Equal(4, (await tamperedRuns.RunAsync(debug: true, "auth", "status")).ExitCode);

        // The same credentials from the environment instead of the file.
        using var ci = new BbProcess();
        ci.Environment["BB_API_URL"] = provider.ApiUrl;
        ci.Environment["BB_CONSUMER_KEY"] = ProviderFixture.ConsumerKey;
        ci.Environment["BB_CONSUMER_SECRET"] = ProviderFixture.ConsumerSecret;
        ci.Environment["BB_ACCESS_TOKEN"] = token;
        ci.Environment["BB_ACCESS_TOKEN_SECRET"] = tokenSecret;
        var ciRuns = new LeakRuns(ci, secrets);
        Assert.Equal(0, (await ciRuns.RunAsync(debug: true, "user", "get", "--verbose")).ExitCode);
        Assert.Equal(0, (await ciRuns.RunAsync(debug: true, "auth", "status")).ExitCode);
        Assert.Equal(1, (await ciRuns.RunAsync(debug: true, "repos", "get", "alice", "nosuch", "--verbose")).ExitCode);

        output.WriteLine($"leak checks: {runs.Count + tamperedRuns.Count + ciRuns.Count} runs, 0 leaks");
    }

    [Fact]
    public async Task The_signatures_actually_sent_never_appear_in_the_output()
    {
        // The server side sees the real signatures; bb's own output, at its loudest, must not contain them.
        await using var server = new RawHttpServer((request, stream, _) => request.Target.Contains("missing", StringComparison.Ordinal)
            ? RawHttpServer.WriteResponseAsync(stream, 404, """{"type":"error","error":{"message":"gone"}}""")
            : RawHttpServer.WriteResponseAsync(stream, 200, """{"username":"x"}"""));
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_KEY"] = "leak-key";
        bb.Environment["BB_CONSUMER_SECRET"] = "leak-consumer-secret";
        bb.Environment["BB_ACCESS_TOKEN"] = "leak-access-token";
        bb.Environment["BB_ACCESS_TOKEN_SECRET"] = "leak-token-secret";
        var runs = new LeakRuns(bb, ["leak-consumer-secret", "leak-access-token", "leak-token-secret"]);

        var outputs = new List<BbResult>
        {
            await runs.RunAsync(debug: true, "user", "get", "--verbose", "--api-url", server.Origin),
            await runs.RunAsync(debug: true, "api", "/missing", "--verbose", "--api-url", server.Origin),
            await runs.RunAsync(debug: true, "api", "/form", "--form", "-f", "a=b", "--verbose", "--api-url", server.Origin),
        };

        var signatures = server.Requests
            .Select(r => OAuthRequestSigner.ParseAuthorizationHeader(r.Header("Authorization")!).Single(p => p.Key == "oauth_signature").Value)
            .ToList();
        Assert.Equal(3, signatures.Count);
        foreach (var result in outputs)
        {
            CliAssert.NoSecrets("bb with the signatures known", result.Stdout + result.Stderr, signatures.Concat(signatures.Select(OAuthEncoding.PercentEncode)));
        }

        output.WriteLine($"leak checks: {runs.Count} runs, 0 leaks");
    }

    private static int DeadPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

/// <summary>RSA-SHA1: the private key PEM never shows, not even when the key is unusable.</summary>
public sealed class RsaLeakTests(RsaProviderFixture rsa, ITestOutputHelper output) : IClassFixture<RsaProviderFixture>
{
    [Fact]
    public async Task An_rsa_login_never_prints_the_private_key_or_the_tokens()
    {
        using var bb = new BbProcess();
        var key = Path.Combine(bb.Home, "consumer.pem");
        File.Copy(rsa.KeyFile, key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        bb.Environment["BB_DEBUG"] = "1";
        var login = await ProviderLogin.LoginAsync(bb, rsa.ApiUrl, "rsa", RsaProviderFixture.ConsumerKey, consumerSecret: null, "--signature-method", "RSA-SHA1", "--rsa-key", key, "--verbose");
        Assert.True(login.ExitCode == 0, login.ToString());
        bb.Environment.Remove("BB_DEBUG");
        var (token, tokenSecret) = ProviderLogin.StoredToken(bb, "rsa");
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            Assert.Equal("RSA-SHA1", stored.RootElement.GetProperty("hosts").GetProperty("rsa").GetProperty("signatureMethod").GetString());
        }

        string[] secrets = [token, tokenSecret, rsa.PrivateKeyBody, .. rsa.PrivateKeyLines];
        var runs = new LeakRuns(bb, secrets);
        runs.Check("RSA auth login --verbose, BB_DEBUG=1", login);

        Assert.Equal(0, (await runs.RunAsync(debug: false, "user", "get", "--verbose")).ExitCode);
        Assert.Equal(0, (await runs.RunAsync(debug: false, "user", "get", "--dry-run")).ExitCode);
        Assert.Equal(0, (await runs.RunAsync(debug: true, "api", "/2.0/user")).ExitCode);
        Assert.Equal(0, (await runs.RunAsync(debug: true, "auth", "status")).ExitCode);
        Assert.Equal(1, (await runs.RunAsync(debug: true, "repos", "get", "alice", "nosuch", "--verbose")).ExitCode);

        // An unusable key: cut in half, then replaced by something that is not a key at all.
        var pem = await File.ReadAllTextAsync(key);
        await File.WriteAllTextAsync(key, pem[..(pem.Length / 2)]);
        Assert.Equal(2, (await runs.RunAsync(debug: true, "user", "get", "--verbose")).ExitCode);
        var broken = await runs.RunAsync(debug: false, "user", "get");
        Assert.Contains(key, CliAssert.OneErrorLine(broken, 2), StringComparison.Ordinal);
        await File.WriteAllTextAsync(key, "-----BEGIN PRIVATE KEY-----\n" + rsa.PrivateKeyLines[0] + "\n");
        Assert.Equal(2, (await runs.RunAsync(debug: true, "user", "get")).ExitCode);
        Assert.Equal(1, (await runs.RunAsync(debug: true, "auth", "status")).ExitCode); // reported per login, exit 1
        output.WriteLine($"leak checks: {runs.Count} runs, 0 leaks");
    }
}

/// <summary>Runs bb and checks every run's stdout and stderr for the given secrets.</summary>
internal sealed class LeakRuns(BbProcess bb, IReadOnlyList<string> secrets)
{
    public int Count { get; private set; }

    public async Task<BbResult> RunAsync(bool debug, params string[] args)
    {
        if (debug)
        {
            bb.Environment["BB_DEBUG"] = "1";
        }

        try
        {
            var result = await bb.RunAsync(args);
            Check($"bb {string.Join(' ', args)}{(debug ? " (BB_DEBUG=1)" : string.Empty)}", result);
            return result;
        }
        finally
        {
            bb.Environment.Remove("BB_DEBUG");
        }
    }

    public void Check(string what, BbResult result)
    {
        Count++;
        CliAssert.NoSecrets(what, result.Stdout + "\n" + result.Stderr, secrets);
    }
}
