using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

/// <summary>
/// The one precedence (flag, else environment variable, else stored; empty means unset) as every
/// caller sees it: API commands, <c>bb auth login</c>, <c>status</c> and <c>logout</c>.
/// </summary>
public sealed class PrecedenceTests
{
    private static readonly BbConfig Config = LocalWithAccounts().WithHost(Samples.Local("staging") with { ApiUrl = "https://staging.example" });

    [Theory]
    [InlineData("flag", "env", "stored", "flag")]
    [InlineData(null, "env", "stored", "env")]
    [InlineData("", "env", "stored", "env")]
    [InlineData(null, null, "stored", "stored")]
    [InlineData(null, "", "stored", "stored")]
    [InlineData("", "", "stored", "stored")]
    [InlineData(null, null, null, null)]
    public void Flag_beats_environment_beats_stored_and_empty_is_unset(string? flag, string? environment, string? stored, string? expected)
    {
        var (value, _) = CredentialResolver.Pick(flag, Env(("BB_X", environment)), "BB_X", stored);

        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("staging", "bitbucket.org", "staging")]
    [InlineData(null, "staging", "staging")]
    [InlineData("", "", "local")]
    [InlineData(null, null, "local")]
    public void Commands_login_and_logout_pick_the_same_host(string? flag, string? environment, string expected)
    {
        var env = Env(("BB_HOST", environment), ("BB_CONSUMER_SECRET", "s"));

        var command = CredentialResolver.Resolve(Config, env, hostOption: flag).HostName;
        var login = LoginTarget.Resolve(Config, env, new LoginOptions(Host: flag)).Host.Name;
        var logout = CredentialResolver.HostName(Config, env, flag);

        Assert.Equal([expected, expected, expected], new[] { command, login, logout });
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:1")]
    [InlineData(null, "http://127.0.0.1:2", "http://127.0.0.1:2")]
    [InlineData("", "", "https://staging.example")]
    public void Commands_and_login_pick_the_same_api_url(string? flag, string? environment, string expected)
    {
        var env = Env(("BB_API_URL", environment));

        var command = CredentialResolver.Resolve(Config, env, hostOption: "staging", apiUrlOption: flag).ApiUrl;
        var login = LoginTarget.Resolve(Config, env, new LoginOptions(Host: "staging", ApiUrl: flag)).Host.ApiUrl;

        Assert.Equal(expected, command);
        Assert.Equal(expected, login);
    }

    [Theory]
    [InlineData("flag-key", "env-key", "flag-key")]
    [InlineData(null, "env-key", "env-key")]
    [InlineData(null, "", "local-consumer")]
    public void Login_takes_the_consumer_key_from_flag_then_environment_then_the_stored_host(string? flag, string? environment, string expected)
    {
        var target = LoginTarget.Resolve(Config, Env(("BB_CONSUMER_KEY", environment)), new LoginOptions(Host: "local", ConsumerKey: flag));

        Assert.Equal(expected, target.Host.ConsumerKey);
    }

    [Fact]
    public void Commands_take_the_consumer_key_from_the_environment_then_the_stored_host()
    {
        Assert.Equal("env-key", CredentialResolver.Resolve(Config, Env(("BB_CONSUMER_KEY", "env-key"))).ConsumerKey);
        Assert.Equal("local-consumer", CredentialResolver.Resolve(Config, Env(("BB_CONSUMER_KEY", ""))).ConsumerKey);
    }

    [Fact]
    public void A_login_with_only_an_api_url_names_the_new_host_after_its_authority()
    {
        var target = LoginTarget.Resolve(Config, Env(("BB_CONSUMER_KEY", "k")), new LoginOptions(ApiUrl: "http://127.0.0.1:7990/ctx"));

        Assert.Equal("127.0.0.1:7990", target.Host.Name);
        Assert.Null(target.Existing);
        Assert.Equal("http://127.0.0.1:7990/api/1.0/oauth/request_token", target.RequestTokenUrl.AbsoluteUri);
    }

    [Fact]
    public void A_new_host_without_an_api_url_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => LoginTarget.Resolve(Config, Env(("BB_HOST", "new")), new LoginOptions(ConsumerKey: "k")));

        Assert.StartsWith("host 'new' is new: give its --api-url", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, SignatureMethod.HmacSha256)]
    [InlineData("rsa-sha1", SignatureMethod.RsaSha1)]
    [InlineData("PLAINTEXT", SignatureMethod.Plaintext)]
    public void Login_parses_the_signature_method_flag_once_else_keeps_the_stored_one(string? flag, SignatureMethod expected)
    {
        var target = LoginTarget.Resolve(Config, Env(), new LoginOptions(Host: "local", SignatureMethod: flag));

        Assert.Equal(expected, target.Host.SignatureMethod);
    }

    [Fact]
    public void Login_refuses_an_unknown_signature_method()
    {
        var error = Assert.Throws<UsageException>(() => LoginTarget.Resolve(Config, Env(), new LoginOptions(Host: "local", SignatureMethod: "MD5")));

        Assert.Equal("unknown --signature-method 'MD5'; use HMAC-SHA1, HMAC-SHA256, PLAINTEXT or RSA-SHA1", error.Message);
    }

    [Fact]
    public void Status_checks_every_stored_account_from_the_file_alone()
    {
        var env = Env(("BB_API_URL", "http://127.0.0.1:3"), ("BB_CONSUMER_KEY", "env-key"));

        var checks = StatusRunner.Checks(Config, env, hostFilter: null);

        Assert.Equal(["local alice (default)", "local bob"], checks.Select(c => $"{c.Host} {c.Account}{(c.IsDefault ? " (default)" : "")}"));
        Assert.All(checks, c => Assert.Equal(("http://127.0.0.1:8080", "local-consumer"), (c.Resolved.ApiUrl, c.Resolved.ConsumerKey)));
    }

    [Fact]
    public void Status_with_an_environment_token_checks_that_one_login_resolved_like_a_command()
    {
        var env = Env(("BB_ACCESS_TOKEN", "ci-token"), ("BB_HOST", "staging"), ("BB_API_URL", "http://127.0.0.1:3"));

        var check = Assert.Single(StatusRunner.Checks(Config, env, hostFilter: null));

        Assert.Equal(CredentialResolver.Resolve(Config, env), check.Resolved);
        Assert.Equal(("staging", "(from BB_ACCESS_TOKEN)", "http://127.0.0.1:3"), (check.Host, check.Account, check.Resolved.ApiUrl));
    }
}
