using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Config.Tests;

/// <summary>A fresh directory under the system temp path, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bb-config-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A hosts.json inside a config dir that does not exist yet.</summary>
    public string HostsFile => System.IO.Path.Combine(Path, "bb", "hosts.json");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leaked temp directory must not fail a test.
        }
    }
}

/// <summary>Sample data; every secret contains "SECRET" so leaks are easy to find.</summary>
internal static class Samples
{
    public const string ConsumerSecret = "consumer-SECRET-5f1e";
    public const string AliceToken = "alice-token-TKN-a1";
    public const string AliceTokenSecret = "alice-SECRET-9c2d";
    public const string BobToken = "bob-token-TKN-b2";
    public const string BobTokenSecret = "bob-SECRET-7e4b";

    /// <summary>The built-in host as bb creates it (bb passes the spec's api.baseUrl; this is its value).</summary>
    public static HostConfig Cloud { get; } = HostConfig.BitbucketCloud("https://api.bitbucket.org");

    /// <summary>The configuration without a file: only <see cref="Cloud"/>.</summary>
    public static BbConfig EmptyConfig { get; } = BbConfig.Empty(Cloud);

    public static AccountCredentials Alice => new("alice", AliceToken, AliceTokenSecret);

    public static AccountCredentials Bob => new("bob", BobToken, BobTokenSecret);

    public static HostConfig Local(string name = "local") => new()
    {
        Name = name,
        ApiUrl = "http://127.0.0.1:8080",
        RequestTokenUrl = "http://127.0.0.1:8080/oauth/request_token",
        AuthorizeUrl = "http://127.0.0.1:8080/oauth/authorize",
        AccessTokenUrl = "http://127.0.0.1:8080/oauth/access_token",
        SignatureMethod = SignatureMethod.HmacSha256,
        ConsumerKey = "local-consumer",
        ConsumerSecret = ConsumerSecret,
    };

    /// <summary>A config whose default host "local" has alice (default) and bob.</summary>
    public static BbConfig LocalWithAccounts()
        => Samples.EmptyConfig.WithHost(Local().WithAccount(Alice).WithAccount(Bob, makeDefault: false)).WithDefaultHost("local");

    public static Func<string, string?> Env(params (string Name, string? Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    public static string[] AllSecrets => [ConsumerSecret, AliceToken, AliceTokenSecret, BobToken, BobTokenSecret];

    public static void AssertNoSecrets(string text)
    {
        foreach (var secret in AllSecrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }
}
