using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

/// <summary>Issue 13 item 12: a server that echoes the request's OAuth values never gets them printed.</summary>
public class EchoedSecretTests
{
    [Theory]
    [InlineData("""{"type":"error","error":{"message":"bad oauth_token=abc123 given"}}""", "bb: bad oauth_token=<redacted> given (HTTP 400)")]
    [InlineData("""{"type":"error","error":{"message":"oauth_token_secret=s3cr3t&oauth_signature=x%2By%3D"}}""", "bb: oauth_token_secret=<redacted>&oauth_signature=<redacted> (HTTP 400)")]
    [InlineData("""{"type":"error","error":{"message":"OAuth oauth_token=\"abc\", oauth_signature=\"sig\""}}""", "bb: OAuth oauth_token=\"<redacted>\", oauth_signature=\"<redacted>\" (HTTP 400)")]
    [InlineData("""{"type":"error","error":{"message":"got {\"oauth_token\": \"abc\"}"}}""", "bb: got {\"oauth_token\": \"<redacted>\"} (HTTP 400)")]
    [InlineData("""{"type":"error","error":{"message":"query oauth_verifier%3Dv1 and OAUTH_TOKEN=Up"}}""", "bb: query oauth_verifier%3D<redacted> and OAUTH_TOKEN=<redacted> (HTTP 400)")]
    public void Echoed_oauth_values_are_masked_in_json_errors(string body, string expected)
        => Assert.Equal(expected, ApiErrorLine.Format(400, "Bad Request", "application/json", body));

    [Fact]
    public void Echoed_oauth_values_are_masked_in_text_errors_and_the_rest_is_kept()
    {
        var line = ApiErrorLine.Format(401, "Unauthorized", "text/plain", "signature_invalid: oauth_signature=AbC%2Fd%3D oauth_consumer_key=bb-local oauth_nonce=n1");

        Assert.Equal("bb: HTTP 401 Unauthorized: signature_invalid: oauth_signature=<redacted> oauth_consumer_key=bb-local oauth_nonce=n1", line);
    }

    [Fact]
    public void A_line_without_oauth_values_is_unchanged()
        => Assert.Equal("bb: Repository not found (HTTP 404)", ApiErrorLine.Format(404, "Not Found", "application/json", """{"type":"error","error":{"message":"Repository not found"}}"""));
}
