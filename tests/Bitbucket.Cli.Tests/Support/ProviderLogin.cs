using System.Text.Json;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>
/// <c>bb auth login --no-browser</c> against any local provider under any host name, approving the
/// printed authorize URL as <see cref="ProviderFixture.LoginAsync"/> does.
/// </summary>
public static class ProviderLogin
{
    public static Task<BbResult> LoginAsync(BbProcess bb, string apiUrl, string hostName, string consumerKey, string? consumerSecret, params string[] extra)
    {
        if (consumerSecret is not null)
        {
            bb.Environment["BB_CONSUMER_SECRET"] = consumerSecret;
        }

        var args = new List<string> { "auth", "login", "--host", hostName, "--api-url", apiUrl, "--consumer-key", consumerKey, "--no-browser", "--timeout", "60" };
        args.AddRange(extra);
        return bb.RunAsync(args, stdin: null, onStderrLine: async line =>
        {
            if (line.StartsWith(apiUrl, StringComparison.Ordinal) && line.Contains("oauth_token=", StringComparison.Ordinal))
            {
                await ProviderFixture.ApproveAsync(new Uri(line.Trim()));
            }
        });
    }

    /// <summary>The stored token and token secret of <paramref name="account"/> on <paramref name="hostName"/>.</summary>
    public static (string Token, string TokenSecret) StoredToken(BbProcess bb, string hostName = "local", string account = "alice")
    {
        using var stored = JsonDocument.Parse(bb.HostsJson);
        var entry = stored.RootElement.GetProperty("hosts").GetProperty(hostName).GetProperty("accounts").GetProperty(account);
        return (entry.GetProperty("token").GetString()!, entry.GetProperty("tokenSecret").GetString()!);
    }
}
