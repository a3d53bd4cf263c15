using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

public sealed class CredentialResolverTests
{
    private static readonly BbConfig Config = LocalWithAccounts().WithHost(Samples.Local("staging") with { ApiUrl = "https://staging.example/" });

    [Fact]
    public void Without_any_configuration_it_resolves_bitbucket_cloud_with_no_credentials()
    {
        var resolved = CredentialResolver.Resolve(Samples.EmptyConfig, Env());

        Assert.Equal("bitbucket.org", resolved.HostName);
        Assert.Equal("https://api.bitbucket.org", resolved.ApiUrl);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/request_token", resolved.RequestTokenUrl);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/authenticate", resolved.AuthorizeUrl);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/access_token", resolved.AccessTokenUrl);
        Assert.Equal(SignatureMethod.HmacSha1, resolved.SignatureMethod);
        Assert.Null(resolved.RsaKeyPath);
        Assert.False(resolved.HasConsumer);
        Assert.False(resolved.HasToken);
        Assert.Equal(CredentialSource.None, resolved.ConsumerSource);
        Assert.Equal(CredentialSource.None, resolved.TokenSource);
        Assert.Null(resolved.Username);
    }

    [Fact]
    public void Stored_credentials_of_the_default_host_and_account_are_used()
    {
        var resolved = CredentialResolver.Resolve(Config, Env());

        Assert.Equal("local", resolved.HostName);
        Assert.Equal("http://127.0.0.1:8080", resolved.ApiUrl);
        Assert.Equal(SignatureMethod.HmacSha256, resolved.SignatureMethod);
        Assert.Equal(("local-consumer", ConsumerSecret, CredentialSource.Config), (resolved.ConsumerKey, resolved.ConsumerSecret, resolved.ConsumerSource));
        Assert.Equal(("alice", AliceToken, AliceTokenSecret, CredentialSource.Config), (resolved.Username, resolved.Token, resolved.TokenSecret, resolved.TokenSource));
    }

    [Fact]
    public void A_named_account_is_used_instead_of_the_default()
    {
        var resolved = CredentialResolver.Resolve(Config, Env(), username: "Bob");

        Assert.Equal(("bob", BobToken, BobTokenSecret), (resolved.Username, resolved.Token, resolved.TokenSecret));
    }

    [Fact]
    public void An_unknown_account_is_a_config_error()
    {
        var error = Assert.Throws<ConfigException>(() => CredentialResolver.Resolve(Config, Env(), username: "carol"));

        Assert.Equal("no account 'carol' on host 'local'; run bb auth login --host local", error.Message);
    }

    [Theory]
    [InlineData("staging", "bitbucket.org", "staging")]
    [InlineData(null, "bitbucket.org", "bitbucket.org")]
    [InlineData(null, null, "local")]
    [InlineData("", "", "local")]
    [InlineData("STAGING", null, "staging")]
    public void Host_is_the_flag_else_BB_HOST_else_the_default(string? flag, string? environment, string expected)
    {
        var resolved = CredentialResolver.Resolve(Config, Env(("BB_HOST", environment)), hostOption: flag);

        Assert.Equal(expected, resolved.HostName);
    }

    [Theory]
    [InlineData("http://flag:1", "http://env:2", "http://flag:1")]
    [InlineData(null, "http://env:2/", "http://env:2")]
    [InlineData(null, null, "https://staging.example")]
    [InlineData("", "", "https://staging.example")]
    public void Api_url_is_the_flag_else_BB_API_URL_else_the_hosts(string? flag, string? environment, string expected)
    {
        var resolved = CredentialResolver.Resolve(Config, Env(("BB_API_URL", environment)), hostOption: "staging", apiUrlOption: flag);

        Assert.Equal(expected, resolved.ApiUrl);
        Assert.Equal("http://127.0.0.1:8080/oauth/access_token", resolved.AccessTokenUrl);
    }

    [Theory]
    [InlineData("localhost:8080", null, "--api-url")]
    [InlineData(null, "ftp://example", "BB_API_URL")]
    public void An_api_url_that_is_not_absolute_http_is_a_config_error_naming_its_source(string? flag, string? environment, string source)
    {
        var error = Assert.Throws<ConfigException>(() => CredentialResolver.Resolve(Config, Env(("BB_API_URL", environment)), apiUrlOption: flag));

        Assert.Equal($"the API URL from {source} is not an absolute http(s) URL (e.g. https://api.bitbucket.org)", error.Message);
    }

    [Fact]
    public void Unknown_host_from_flag_or_environment_says_how_to_log_in()
    {
        var fromFlag = Assert.Throws<ConfigException>(() => CredentialResolver.Resolve(Config, Env(), hostOption: "x"));
        var fromEnvironment = Assert.Throws<ConfigException>(() => CredentialResolver.Resolve(Config, Env(("BB_HOST", "x"))));

        Assert.StartsWith("unknown host 'x'; run bb auth login --host x", fromFlag.Message, StringComparison.Ordinal);
        Assert.Equal(fromFlag.Message, fromEnvironment.Message);
    }

    [Fact]
    public void Environment_credentials_work_without_a_stored_login()
    {
        var env = Env(
            ("BB_CONSUMER_KEY", "ci-key"), ("BB_CONSUMER_SECRET", "ci-consumer-secret"),
            ("BB_ACCESS_TOKEN", "ci-token"), ("BB_ACCESS_TOKEN_SECRET", "ci-token-secret"),
            ("BB_API_URL", "http://127.0.0.1:9000"));

        var resolved = CredentialResolver.Resolve(Samples.EmptyConfig, env);

        Assert.Equal("bitbucket.org", resolved.HostName);
        Assert.Equal("http://127.0.0.1:9000", resolved.ApiUrl);
        Assert.Equal(("ci-key", "ci-consumer-secret", CredentialSource.Environment), (resolved.ConsumerKey, resolved.ConsumerSecret, resolved.ConsumerSource));
        Assert.Equal(("ci-token", "ci-token-secret", CredentialSource.Environment), (resolved.Token, resolved.TokenSecret, resolved.TokenSource));
        Assert.Null(resolved.Username);
    }

    [Fact]
    public void Environment_credentials_override_stored_ones()
    {
        var env = Env(
            ("BB_CONSUMER_KEY", "ci-key"), ("BB_CONSUMER_SECRET", "ci-consumer-secret"),
            ("BB_ACCESS_TOKEN", "ci-token"), ("BB_ACCESS_TOKEN_SECRET", "ci-token-secret"));

        var resolved = CredentialResolver.Resolve(Config, env);

        Assert.Equal(("ci-key", "ci-consumer-secret"), (resolved.ConsumerKey, resolved.ConsumerSecret));
        Assert.Equal(("ci-token", "ci-token-secret"), (resolved.Token, resolved.TokenSecret));
        Assert.Null(resolved.Username);
        Assert.Equal("http://127.0.0.1:8080", resolved.ApiUrl);
    }

    [Fact]
    public void An_environment_key_or_token_never_pairs_with_a_stored_secret()
    {
        var resolved = CredentialResolver.Resolve(Config, Env(("BB_CONSUMER_KEY", "ci-key"), ("BB_ACCESS_TOKEN", "ci-token")));

        Assert.Equal(("ci-key", null), (resolved.ConsumerKey, resolved.ConsumerSecret));
        Assert.Equal(("ci-token", null), (resolved.Token, resolved.TokenSecret));
        Assert.Equal(CredentialSource.Environment, resolved.ConsumerSource);
        Assert.Equal(CredentialSource.Environment, resolved.TokenSource);
    }

    [Fact]
    public void An_environment_secret_alone_pairs_with_the_stored_key_and_token()
    {
        var resolved = CredentialResolver.Resolve(Config, Env(("BB_CONSUMER_SECRET", "ci-consumer-secret"), ("BB_ACCESS_TOKEN_SECRET", "ci-token-secret")));

        Assert.Equal(("local-consumer", "ci-consumer-secret", CredentialSource.Environment), (resolved.ConsumerKey, resolved.ConsumerSecret, resolved.ConsumerSource));
        Assert.Equal(("alice", AliceToken, "ci-token-secret"), (resolved.Username, resolved.Token, resolved.TokenSecret));
    }

    [Fact]
    public void An_environment_secret_without_any_key_or_token_resolves_to_none()
    {
        var resolved = CredentialResolver.Resolve(Samples.EmptyConfig, Env(("BB_CONSUMER_SECRET", "s"), ("BB_ACCESS_TOKEN_SECRET", "t")));

        Assert.False(resolved.HasConsumer);
        Assert.Null(resolved.ConsumerSecret);
        Assert.False(resolved.HasToken);
        Assert.Null(resolved.TokenSecret);
    }

    [Fact]
    public void Rsa_settings_come_from_the_host()
    {
        var config = Samples.EmptyConfig.WithHost(Samples.Local("server") with { SignatureMethod = SignatureMethod.RsaSha1, RsaKeyPath = "/keys/bb.pem", ConsumerSecret = null });

        var resolved = CredentialResolver.Resolve(config, Env(), hostOption: "server");

        Assert.Equal((SignatureMethod.RsaSha1, "/keys/bb.pem", "local-consumer", null), (resolved.SignatureMethod, resolved.RsaKeyPath, resolved.ConsumerKey, resolved.ConsumerSecret));
    }
}
