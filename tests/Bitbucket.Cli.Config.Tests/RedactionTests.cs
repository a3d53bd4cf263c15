using Bitbucket.Cli.Core.Config;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

public sealed class RedactionTests
{
    [Fact]
    public void AccountCredentials_ToString_shows_the_username_only()
    {
        var text = Alice.ToString();

        AssertNoSecrets(text);
        Assert.Equal("AccountCredentials { Username = alice, Token = ***, TokenSecret = *** }", text);
    }

    [Fact]
    public void HostConfig_ToString_redacts_the_consumer_secret_and_accounts()
    {
        var text = LocalWithAccounts().GetHost("local").ToString();

        AssertNoSecrets(text);
        Assert.Contains("ConsumerKey = local-consumer", text, StringComparison.Ordinal);
        Assert.Contains("ConsumerSecret = ***", text, StringComparison.Ordinal);
        Assert.Contains("Accounts = [alice, bob]", text, StringComparison.Ordinal);
        Assert.Contains("ConsumerSecret = null", Samples.Cloud.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BbConfig_ToString_redacts_every_host()
    {
        var text = LocalWithAccounts().ToString();

        AssertNoSecrets(text);
        Assert.StartsWith("BbConfig { DefaultHost = local, Hosts = [HostConfig { Name = bitbucket.org", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvedHost_ToString_redacts_consumer_secret_token_and_token_secret()
    {
        var resolved = CredentialResolver.Resolve(LocalWithAccounts(), Env());

        var text = resolved.ToString();

        AssertNoSecrets(text);
        Assert.Contains("Username = alice", text, StringComparison.Ordinal);
        Assert.Contains("Token = ***", text, StringComparison.Ordinal);
        Assert.Contains("TokenSecret = ***", text, StringComparison.Ordinal);
        Assert.Contains("ConsumerSecret = ***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_with_secrets_still_compare_by_value()
    {
        Assert.Equal(Alice, new AccountCredentials("alice", AliceToken, AliceTokenSecret));
        Assert.NotEqual(Alice, Alice with { TokenSecret = "other" });
    }

    [Fact]
    public void Errors_from_the_model_and_resolver_never_contain_secrets()
    {
        var config = LocalWithAccounts();
        var env = Env(("BB_CONSUMER_SECRET", ConsumerSecret), ("BB_ACCESS_TOKEN_SECRET", AliceTokenSecret), ("BB_API_URL", $"http://u:{BobTokenSecret}@"));
        var errors = new List<Exception>
        {
            Assert.ThrowsAny<Exception>(() => CredentialResolver.Resolve(config, env)),
            Assert.ThrowsAny<Exception>(() => CredentialResolver.Resolve(config, env, hostOption: "x")),
            Assert.ThrowsAny<Exception>(() => CredentialResolver.Resolve(config, Env(), username: "carol")),
            Assert.ThrowsAny<Exception>(() => config.WithHost(config.GetHost("local") with { ApiUrl = $"http://u:{ConsumerSecret}@" + "\u0000" })),
        };

        Assert.All(errors, e => AssertNoSecrets(e.ToString()));
    }
}
