using System.Text;

namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// One logged-in account on a host: the OAuth access token and token secret (RFC 5849 section 2.3).
/// <c>ToString</c> redacts both.
/// </summary>
internal sealed record AccountCredentials(string Username, string Token, string TokenSecret)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.AppendValue(nameof(Username), Username).Append(", ")
            .AppendSecret(nameof(Token), Token).Append(", ")
            .AppendSecret(nameof(TokenSecret), TokenSecret);
        return true;
    }
}
