using System.Text;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

/// <summary>Issue 15: logins of every scheme survive hosts.json, resolve with the right precedence and print redacted.</summary>
public sealed class AuthSchemeStorageTests
{
    private const string RefreshSecret = "refresh-SECRET-0r1";

    private static readonly DateTimeOffset Expiry = new(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);

    private static AccountCredentials OAuth2Alice =>
        AccountCredentials.ForToken("alice", AuthScheme.OAuth2, AliceToken) with { RefreshToken = RefreshSecret, ExpiresAt = Expiry };

    [Fact]
    public void Every_scheme_round_trips_through_the_file_and_token_logins_have_no_token_secret()
    {
        var config = EmptyConfig.WithHost(Local()
            .WithAccount(OAuth2Alice)
            .WithAccount(AccountCredentials.ForToken("bob@example.com", AuthScheme.Basic, BobToken))
            .WithAccount(AccountCredentials.ForToken("carol", AuthScheme.Bearer, "carol-TKN"))
            .WithAccount(Alice with { Username = "dave" }) with
        { OAuth2TokenUrl = "http://127.0.0.1:8080/site/oauth2/access_token" });

        var bytes = ConfigFile.Serialize(config);
        var text = Encoding.UTF8.GetString(bytes);
        var back = ConfigFile.Parse("hosts.json", bytes, Cloud).GetHost("local");

        Assert.Equal(OAuth2Alice, back.GetAccount("alice"));
        Assert.Equal(AuthScheme.Basic, back.GetAccount("bob@example.com")!.Scheme);
        Assert.Equal(AuthScheme.Bearer, back.GetAccount("carol")!.Scheme);
        Assert.Equal(AuthScheme.OAuth1, back.GetAccount("dave")!.Scheme);
        Assert.Equal("http://127.0.0.1:8080/site/oauth2/access_token", back.OAuth2TokenUrl);
        Assert.Contains("\"scheme\": \"oauth2\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"scheme\": \"oauth1\"", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split("tokenSecret").Length - 1); // dave only
    }

    [Fact]
    public void An_unknown_scheme_is_a_file_error()
    {
        var json = """{"version":1,"hosts":{"h":{"apiUrl":"https://h","requestTokenUrl":"https://h/r","authorizeUrl":"https://h/a","accessTokenUrl":"https://h/t","signatureMethod":"HMAC-SHA1","defaultAccount":"a","accounts":{"a":{"scheme":"kerberos","token":"t"}}}}}""";

        var error = Assert.Throws<ConfigException>(() => ConfigFile.Parse("hosts.json", Encoding.UTF8.GetBytes(json), Cloud));

        Assert.Contains("scheme must be oauth1, oauth2, bearer or basic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_OAuth1_account_without_a_token_secret_is_still_an_error()
    {
        var json = """{"version":1,"hosts":{"h":{"apiUrl":"https://h","requestTokenUrl":"https://h/r","authorizeUrl":"https://h/a","accessTokenUrl":"https://h/t","signatureMethod":"HMAC-SHA1","defaultAccount":"a","accounts":{"a":{"token":"t"}}}}}""";

        var error = Assert.Throws<ConfigException>(() => ConfigFile.Parse("hosts.json", Encoding.UTF8.GetBytes(json), Cloud));

        Assert.Contains("tokenSecret is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_token_login_resolves_with_its_scheme_and_BB_TOKEN_wins_over_it()
    {
        var config = EmptyConfig.WithHost(Local().WithAccount(OAuth2Alice)).WithDefaultHost("local");

        var stored = CredentialResolver.Resolve(config, Env());
        var ci = CredentialResolver.Resolve(config, Env(("BB_TOKEN", "ci-TKN")));
        var basic = CredentialResolver.Resolve(config, Env(("BB_TOKEN", "ci-TKN"), ("BB_USERNAME", "me@example.com")));

        Assert.Equal((AuthScheme.OAuth2, AliceToken, RefreshSecret, Expiry), (stored.Scheme, stored.Token, stored.RefreshToken, stored.ExpiresAt));
        Assert.True(stored.HasCredentials);
        Assert.Equal((AuthScheme.Bearer, "ci-TKN", CredentialSource.Environment), (ci.Scheme, ci.Token, ci.TokenSource));
        Assert.Equal((AuthScheme.Basic, "me@example.com"), (basic.Scheme, basic.Username));
    }

    [Fact]
    public void A_host_after_logout_keeps_its_consumer_key_but_has_no_credentials()
    {
        var config = LocalWithAccounts().WithoutAccount("local", "alice").WithoutAccount("local", "bob");

        var resolved = CredentialResolver.Resolve(config, Env());
        var twoLegged = CredentialResolver.Resolve(config, Env(("BB_CONSUMER_SECRET", "s")));

        Assert.True(resolved.HasConsumer);
        Assert.False(resolved.HasCredentials);
        Assert.True(twoLegged.HasCredentials);
    }

    [Fact]
    public void ToString_redacts_the_refresh_token()
    {
        var text = OAuth2Alice.ToString() + CredentialResolver.Resolve(EmptyConfig.WithHost(Local().WithAccount(OAuth2Alice)).WithDefaultHost("local"), Env());

        Assert.DoesNotContain(RefreshSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AliceToken, text, StringComparison.Ordinal);
        Assert.Contains("Scheme = oauth2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_host_logs_in_with_OAuth2_at_bitbucket_org_unless_oauth1_is_asked_for()
    {
        var oauth2 = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(ConsumerKey: "k"));
        var oauth1 = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(ConsumerKey: "k", OAuth1: true));
        var other = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(Host: "mine", ApiUrl: "https://bb.example.com", ConsumerKey: "k", OAuth2: true));

        Assert.Equal(AuthScheme.OAuth2, oauth2.Scheme);
        Assert.Equal("https://bitbucket.org/site/oauth2/authorize", oauth2.Host.OAuth2AuthorizeUrl);
        Assert.Equal("https://bitbucket.org/site/oauth2/access_token", oauth2.Host.OAuth2TokenUrl);
        Assert.Equal("https://api.bitbucket.org", oauth2.Host.ApiUrl);
        Assert.Equal(AuthScheme.OAuth1, oauth1.Scheme);
        Assert.Equal("https://bitbucket.org/api/1.0/oauth/authenticate", oauth1.Host.AuthorizeUrl);
        Assert.Equal("https://bb.example.com/site/oauth2/access_token", other.Host.OAuth2TokenUrl);
    }

    [Theory]
    [InlineData(true, true, false)]
    [InlineData(false, true, true)]
    public void Contradicting_login_flags_are_a_usage_error(bool oauth1, bool oauth2, bool withToken)
    {
        Assert.Throws<Bitbucket.Cli.Core.UsageException>(() =>
            LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(ConsumerKey: "k", OAuth1: oauth1, OAuth2: oauth2, WithToken: withToken)));
    }

    [Fact]
    public void An_OAuth2_token_response_is_parsed_and_its_expiry_computed()
    {
        var now = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);

        var tokens = OAuth2TokenClient.Parse("""{"access_token":"a","refresh_token":"r","expires_in":7200,"token_type":"bearer"}"""u8, now);

        Assert.Equal(new OAuth2Tokens("a", "r", now.AddHours(2)), tokens);
        Assert.Null(OAuth2TokenClient.Parse("""{"error":"invalid_grant"}"""u8, now));
        Assert.Null(OAuth2TokenClient.Parse("not json"u8, now));
    }
}
