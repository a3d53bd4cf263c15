using System.Net;
using System.Net.Http.Headers;
using Bitbucket.Cli.Core.Auth;

namespace Bitbucket.Cli.Tests;

/// <summary>A refused signature method is recognised in the OAuth challenge or in a form-encoded problem body.</summary>
public sealed class SignatureRefusalTests
{
    [Theory]
    [InlineData("realm=\"http://127.0.0.1\", oauth_problem=\"signature_method_rejected\"", "", true)]
    [InlineData("realm=\"x\",oauth_problem=signature_method_rejected", "", true)]
    [InlineData(null, "oauth_problem=signature_method_rejected&oauth_problem_advice=RSA-SHA1%20only", true)]
    [InlineData("realm=\"x\", oauth_problem=\"signature_invalid\"", "oauth_problem=signature_invalid", false)]
    [InlineData(null, """{"errors":[{"message":"signature_method_rejected is not the problem field"}]}""", false)]
    [InlineData(null, "", false)]
    public void Only_the_signature_method_rejected_problem_counts(string? challenge, string body, bool expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        if (challenge is not null)
        {
            response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("OAuth", challenge));
        }

        Assert.Equal(expected, LoginFlow.SignatureMethodRejected(response, body));
    }
}
