using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>A new host whose probe finds no Data Center is Cloud, exactly as logins were before flavours.</summary>
[Collection(ProviderCollection.Name)]
public sealed class CloudFlavorLoginTests(ProviderFixture provider)
{
    [Fact]
    public async Task A_cloud_provider_is_recognised_as_cloud_and_status_says_so()
    {
        using var bb = new BbProcess();

        var login = await provider.LoginAsync(bb);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to local as alice", login.Stderr, StringComparison.Ordinal);
        using (var stored = JsonDocument.Parse(bb.HostsJson))
        {
            var host = stored.RootElement.GetProperty("hosts").GetProperty("local");
            Assert.False(host.TryGetProperty("flavor", out _));
            Assert.Equal(provider.ApiUrl + "/api/1.0/oauth/request_token", host.GetProperty("requestTokenUrl").GetString());
            Assert.Equal("HMAC-SHA1", host.GetProperty("signatureMethod").GetString());
        }

        var status = await bb.RunAsync("auth", "status", "--host", "local");

        Assert.True(status.ExitCode == 0, status.ToString());
        var fields = status.Stdout.TrimEnd('\n').Split('\t');
        Assert.Equal(["local", "alice (default)", provider.ApiUrl, "✓ valid (as alice)", "cloud"], fields);
    }
}
