using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

public sealed class TokenResponseTests
{
    [Fact]
    public void Parses_the_section_2_1_temporary_credentials()
    {
        // RFC 5849 §1.2 / §2.1 (line break removed): the temporary credentials response body.
        var (token, secret, extra) = OAuthTokenResponse.Parse("oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true");

        Assert.Equal("hh5s93j4hdidpola", token);
        Assert.Equal("hdhd0244k9j7ao03", secret);
        Assert.Equal("true", extra["oauth_callback_confirmed"]);
        Assert.Single(extra);
    }

    [Fact]
    public void Parses_the_section_2_3_token_credentials_and_decodes_values()
    {
        // RFC 5849 §1.2 / §2.3: the token credentials response body, plus an encoded secret and a trailing newline.
        var (token, secret, extra) = OAuthTokenResponse.Parse("oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkk%26dhi9+sl3r4s00&x_user=jane\n");

        Assert.Equal("nnch734d00sl2jdk", token);
        Assert.Equal("pfkk&dhi9 sl3r4s00", secret);
        Assert.Equal("jane", extra["x_user"]);
    }

    [Theory]
    [InlineData("oauth_token_secret=SECRETVALUE", "missing 'oauth_token' (other fields present: none)")]
    [InlineData("oauth_token=abc&oauth_callback_confirmed=true", "missing 'oauth_token_secret' (other fields present: oauth_callback_confirmed)")]
    [InlineData("oauth_problem=token_rejected", "missing 'oauth_token' and 'oauth_token_secret' (other fields present: oauth_problem). The server reported oauth_problem=token_rejected.")]
    [InlineData("<html>Error SECRETVALUE</html>", "(other fields present: none that look like form fields; the body is not a form-encoded token response)")]
    [InlineData("", "missing 'oauth_token' and 'oauth_token_secret' (other fields present: none)")]
    public void Missing_fields_are_a_clear_error_without_values(string body, string expected)
    {
        var error = Assert.Throws<FormatException>(() => OAuthTokenResponse.Parse(body));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETVALUE", error.Message, StringComparison.Ordinal);
    }
}
