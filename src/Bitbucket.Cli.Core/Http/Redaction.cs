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

    /// <summary>
    /// Masks the values of <c>oauth_token</c>, <c>oauth_token_secret</c>, <c>oauth_signature</c> and
    /// <c>oauth_verifier</c> wherever a server's text echoes them (<c>name=value</c>, <c>name%3Dvalue</c>,
    /// <c>name="value"</c>, JSON <c>"name": "value"</c>), so an error line never prints them.
    /// </summary>
    public static string EchoedOAuthValues(string text) =>
        text.Contains("oauth_", StringComparison.OrdinalIgnoreCase)
            ? EchoedSecret().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask)
            : text;

    [GeneratedRegex(@"(?<name>oauth_(?:token_secret|token|signature|verifier))(?<sep>%3D|\\?""?\s*[=:]\s*\\?""?)(?<value>[^&\s""',;)}\]\\]+)", RegexOptions.IgnoreCase)]
    private static partial Regex EchoedSecret();

    [GeneratedRegex("(?<name>[A-Za-z0-9_]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex OAuthParam();
}
