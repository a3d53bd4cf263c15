using Bitbucket.Cli.Core.Config;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

public sealed class ConfigModelTests
{
    [Fact]
    public void The_built_in_host_is_always_present_and_the_default_when_nothing_else_is()
    {
        var config = new BbConfig(Samples.Cloud, "local", [Samples.Local()]);

        Assert.Equal("local", config.DefaultHost);
        Assert.Same(Samples.Cloud, config.GetHost("bitbucket.org"));
        Assert.Equal("bitbucket.org", Samples.EmptyConfig.DefaultHost);
    }

    [Fact]
    public void Host_names_ignore_case_and_keep_their_spelling()
    {
        var config = Samples.EmptyConfig.WithHost(Samples.Local("Local")).WithDefaultHost("LOCAL");

        Assert.Equal("Local", config.DefaultHost);
        Assert.Equal("Local", config.GetHost("local").Name);
        Assert.Equal("Local", config.Hosts["lOcAl"].Name);
    }

    [Fact]
    public void Replacing_the_default_host_keeps_it_the_default()
    {
        var config = LocalWithAccounts().WithHost(Samples.Local("LOCAL"));

        Assert.Equal("LOCAL", config.DefaultHost);
        Assert.Equal(2, config.Hosts.Count);
    }

    [Fact]
    public void Removing_the_default_host_falls_back_to_the_built_in_one()
    {
        var config = LocalWithAccounts().WithoutHost("local");

        Assert.Equal("bitbucket.org", config.DefaultHost);
        Assert.False(config.TryGetHost("local", out _));
    }

    [Fact]
    public void Removing_the_built_in_host_resets_it()
    {
        var customised = Samples.EmptyConfig.WithHost(Samples.Cloud with { ConsumerKey = "k", ConsumerSecret = ConsumerSecret });

        var reset = customised.WithoutHost("bitbucket.org");

        Assert.Same(Samples.Cloud, reset.GetHost("bitbucket.org"));
    }

    [Fact]
    public void Unknown_hosts_are_config_errors_that_say_how_to_add_them()
    {
        var error = Assert.Throws<ConfigException>(() => LocalWithAccounts().GetHost("x"));

        Assert.Equal("unknown host 'x'; run bb auth login --host x to add it (configured hosts: bitbucket.org, local)", error.Message);
        Assert.Throws<ConfigException>(() => Samples.EmptyConfig.WithDefaultHost("x"));
        Assert.Throws<ConfigException>(() => Samples.EmptyConfig.WithoutHost("x"));
    }

    [Fact]
    public void Invalid_hosts_and_defaults_are_rejected_without_echoing_secrets()
    {
        var bad = Samples.Local() with { ApiUrl = "not a url" };
        var error = Assert.Throws<ArgumentException>(() => Samples.EmptyConfig.WithHost(bad));
        Assert.StartsWith("host 'local': apiUrl is not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
        AssertNoSecrets(error.Message);

        Assert.Throws<ArgumentException>(() => new BbConfig(Samples.Cloud, "missing", [Samples.Local()]));
        Assert.Throws<ArgumentException>(() => new BbConfig(Samples.Cloud, "local", [Samples.Local(), Samples.Local("LOCAL")]));
        Assert.Throws<ArgumentException>(() => Samples.EmptyConfig.WithHost(Samples.Local() with { Name = " padded " }));
        Assert.Throws<ArgumentException>(() => Samples.EmptyConfig.WithHost(Samples.Local().WithAccount(Alice) with { DefaultAccount = "carol" }));
    }

    [Fact]
    public void The_first_account_becomes_the_default_and_later_ones_only_when_asked()
    {
        var host = Samples.Local().WithAccount(Alice).WithAccount(Bob, makeDefault: false);
        Assert.Equal("alice", host.DefaultAccount);

        host = host.WithAccount(Bob);
        Assert.Equal("bob", host.DefaultAccount);
        Assert.Equal(Bob, host.GetAccount());
        Assert.Equal(Alice, host.GetAccount("ALICE"));
        Assert.Null(host.GetAccount("carol"));

        Assert.Equal("alice", host.WithDefaultAccount("Alice").DefaultAccount);
        Assert.Throws<ConfigException>(() => host.WithDefaultAccount("carol"));
    }

    [Fact]
    public void Logging_in_again_replaces_the_account_and_takes_the_new_spelling()
    {
        var host = Samples.Local().WithAccount(Alice).WithAccount(Bob, makeDefault: false);

        host = host.WithAccount(new AccountCredentials("Alice", "new-token", "new-secret"), makeDefault: false);

        Assert.Equal(2, host.Accounts.Count);
        Assert.Equal("Alice", host.DefaultAccount);
        Assert.Equal("new-secret", host.GetAccount()!.TokenSecret);
    }

    [Fact]
    public void Removing_accounts_moves_the_default_and_drops_the_consumer_secret_with_the_last_one()
    {
        var host = Samples.Local().WithAccount(Alice).WithAccount(Bob, makeDefault: false);

        var withoutAlice = host.WithoutAccount("alice");
        Assert.Equal("bob", withoutAlice.DefaultAccount);
        Assert.Equal(ConsumerSecret, withoutAlice.ConsumerSecret);

        var withoutBob = host.WithoutAccount("bob");
        Assert.Equal("alice", withoutBob.DefaultAccount);

        var empty = withoutAlice.WithoutAccount("BOB");
        Assert.Empty(empty.Accounts);
        Assert.Null(empty.DefaultAccount);
        Assert.Null(empty.ConsumerSecret);
        Assert.Equal("local-consumer", empty.ConsumerKey);

        Assert.Equal("no account 'carol' on host 'local'", Assert.Throws<ConfigException>(() => host.WithoutAccount("carol")).Message);
    }

    [Fact]
    public void BbConfig_WithoutAccount_removes_the_default_account_when_none_is_named()
    {
        var config = LocalWithAccounts().WithoutAccount("local");

        Assert.Equal(["bob"], config.GetHost("local").Accounts.Keys);
        Assert.Equal("not logged in to host 'bitbucket.org'", Assert.Throws<ConfigException>(() => config.WithoutAccount("bitbucket.org")).Message);
    }

    [Fact]
    public void The_built_in_host_takes_the_api_url_it_is_given()
    {
        var builtIn = HostConfig.BitbucketCloud("http://127.0.0.1:9/ctx");

        var config = BbConfig.Empty(builtIn);

        Assert.Equal("http://127.0.0.1:9/ctx", config.GetHost("bitbucket.org").ApiUrl);
        Assert.Same(builtIn, config.WithHost(builtIn with { ConsumerKey = "k" }).WithoutHost("bitbucket.org").GetHost("bitbucket.org"));
    }
}
