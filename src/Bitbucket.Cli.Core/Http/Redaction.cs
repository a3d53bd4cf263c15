using System.Text;
using System.Text.RegularExpressions;

namespace Bitbucket.Cli.Core.Http;

/// <summary>What <c>--verbose</c> and <c>--dry-run</c> may show of an Authorization header.</summary>
internal static partial class Redaction
{
    public const string Mask = "<redacted>";

    // Parameters that identify but do not authenticate: safe to show, useful to debug.
    private static readonly HashSet<string> Visible = new(StringComparer.Ordinal)
    {
        "realm", "oauth_consumer_key", "oauth_signature_method", "oauth_version", "oauth_timestamp", "oauth_nonce",
    };

    /// <summary>
    /// Keeps the consumer key, signature method, version, timestamp and nonce of an OAuth header;
    /// masks the token, verifier, callback and signature. Any other scheme is masked whole.
    /// </summary>
    public static string AuthorizationHeader(string scheme, string? parameter)
    {
        if (!string.Equals(scheme, "OAuth", StringComparison.OrdinalIgnoreCase) || parameter is null)
        {
            return $"{scheme} {Mask}";
        }

        var text = new StringBuilder("OAuth ");
        var first = true;
        foreach (Match m in OAuthParam().Matches(parameter))
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            var name = m.Groups["name"].Value;
            text.Append(name).Append("=\"").Append(Visible.Contains(name) ? m.Groups["value"].Value : Mask).Append('"');
        }

        return text.ToString();
    }

    [GeneratedRegex("(?<name>[A-Za-z0-9_]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex OAuthParam();
}
