using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>RFC 5849 §3.1 and §3.5.1: assembling, formatting and parsing the Authorization header.</summary>
public sealed class AuthorizationHeaderTests
{
    private static readonly OAuthCredentials Credentials = new("key", "secret", "token", "token secret", SignatureMethod.HmacSha1);

    [Fact]
    public void Header_lists_realm_first_and_signature_last_with_every_value_encoded()
    {
        var credentials = Credentials with { ConsumerKey = "k y&", Token = "t+k", Realm = "Photos & co" };

        var header = OAuthRequestSigner.CreateAuthorizationHeader(
            "GET", new Uri("https://api.example.com/x"), null, credentials, "n o*", 1700000000, [new("oauth_callback", "http://127.0.0.1:8123/cb?a=1&b=c d")]);

        Assert.StartsWith(
            "OAuth realm=\"Photos%20%26%20co\", oauth_consumer_key=\"k%20y%26\", oauth_token=\"t%2Bk\", oauth_signature_method=\"HMAC-SHA1\", "
            + "oauth_timestamp=\"1700000000\", oauth_nonce=\"n%20o%2A\", oauth_version=\"1.0\", "
            + "oauth_callback=\"http%3A%2F%2F127.0.0.1%3A8123%2Fcb%3Fa%3D1%26b%3Dc%20d\", oauth_signature=\"",
            header);
    }

    [Fact]
    public void Header_omits_the_token_when_there_is_none()
    {
        var header = OAuthRequestSigner.CreateAuthorizationHeader("POST", new Uri("https://x.example/oauth/request_token"), null, Credentials with { Token = null, TokenSecret = null }, "n", 1);

        Assert.DoesNotContain("oauth_token", header, StringComparison.Ordinal);
        Assert.DoesNotContain("realm", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Plaintext_signature_is_percent_encoded_in_the_header()
    {
        // §3.4.4 + §3.5.1: the signature "j49sk3j29djd&dh893hdasih9" travels as "j49sk3j29djd%26dh893hdasih9".
        var credentials = new OAuthCredentials("9djdj82h48djs9d2", "j49sk3j29djd", "kkk9d7dh3k39sjv7", "dh893hdasih9", SignatureMethod.Plaintext);

        var header = OAuthRequestSigner.CreateAuthorizationHeader("GET", new Uri("https://example.com/"), null, credentials, "n", 1);

        Assert.EndsWith("oauth_signature=\"j49sk3j29djd%26dh893hdasih9\"", header);
    }

    [Theory]
    [InlineData("oauth_signature")]
    [InlineData("oauth_nonce")]
    [InlineData("callback")]
    public void Extra_parameters_cannot_clash_or_leave_the_oauth_namespace(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => OAuthRequestSigner.CreateAuthorizationHeader(
            "GET", new Uri("https://example.com/"), null, Credentials, "n", 1, [new(name, "v")]));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_rejects_relative_uris_and_missing_nonce()
    {
        Assert.Throws<ArgumentException>(() => OAuthRequestSigner.CreateAuthorizationHeader("GET", new Uri("/relative", UriKind.Relative), null, Credentials, "n", 1));
        Assert.Throws<ArgumentException>(() => OAuthRequestSigner.CreateAuthorizationHeader("GET", new Uri("https://example.com/"), null, Credentials, "", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OAuthRequestSigner.CreateAuthorizationHeader("GET", new Uri("https://example.com/"), null, Credentials, "n", 0));
    }

    [Fact]
    public void Parse_round_trips_what_we_format()
    {
        KeyValuePair<string, string>[] pairs = [new("oauth_consumer_key", "k y&=\"\\,"), new("oauth_token", ""), new("oauth_callback", "oob")];

        var parsed = OAuthRequestSigner.ParseAuthorizationHeader(OAuthRequestSigner.FormatAuthorizationHeader("R é", pairs));

        Assert.Equal([new("realm", "R é"), .. pairs], parsed);
    }

    [Theory]
    [InlineData("oauth a=\"1\"", "a=1")] // the scheme is case-insensitive
    [InlineData("OAuth  a = \"1\" ,b=\"2\",\tc=\"\"", "a=1|b=2|c=")] // linear whitespace around separators
    [InlineData("OAuth a=\"1\",, b=\"2\",", "a=1|b=2")] // empty list elements (RFC 2617 #rule)
    [InlineData("OAuth a=token, b=\"x\"", "a=token|b=x")] // unquoted token values (RFC 2617 auth-param)
    [InlineData("OAuth a=\"q\\\"uote\"", "a=q\"uote")] // quoted-pair
    [InlineData("OAuth a=\"%2B+%20\"", "a=++ ")] // values are percent-decoded; '+' stays '+'
    [InlineData("OAuth", "")]
    public void Parse_accepts_rfc_2617_syntax(string header, string expected) =>
        Assert.Equal(expected, string.Join('|', OAuthRequestSigner.ParseAuthorizationHeader(header).Select(p => p.Key + "=" + p.Value)));

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz", "'OAuth' scheme")]
    [InlineData("OAuthx a=\"1\"", "'OAuth' scheme")]
    [InlineData("OAuth a", "parameter 'a' has no '='")]
    [InlineData("OAuth =\"1\"", "expected a parameter name at position 6")]
    [InlineData("OAuth oauth_signature=\"s3cr3t&t0k3n", "parameter 'oauth_signature' has no closing quote")]
    [InlineData("OAuth a=\"1\" b=\"2\"", "expected ',' after parameter 'a'")]
    public void Parse_rejects_malformed_headers_without_echoing_values(string header, string expectedMessage)
    {
        var error = Assert.Throws<FormatException>(() => OAuthRequestSigner.ParseAuthorizationHeader(header));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNz", error.Message, StringComparison.Ordinal);
    }
}
