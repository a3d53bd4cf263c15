namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// Reads the form-encoded credentials a server returns from the temporary-credentials (RFC 5849 §2.1)
/// and token-credentials (§2.3) endpoints.
/// </summary>
public static class OAuthTokenResponse
{
    /// <summary>
    /// Returns <c>oauth_token</c>, <c>oauth_token_secret</c> and every other field (such as
    /// <c>oauth_callback_confirmed</c>) in <c>Extra</c>.
    /// </summary>
    /// <exception cref="FormatException">A required field is missing; the message lists the field names present (never values), and <c>oauth_problem</c> when the server sent one.</exception>
    public static (string Token, string Secret, IReadOnlyDictionary<string, string> Extra) Parse(string formEncodedBody)
    {
        ArgumentNullException.ThrowIfNull(formEncodedBody);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in OAuthEncoding.ParseQueryOrForm(formEncodedBody.Trim()))
        {
            fields.TryAdd(name, value);
        }

        var hasToken = fields.Remove("oauth_token", out var token) && token.Length > 0;
        var hasSecret = fields.Remove("oauth_token_secret", out var secret);
        if (!hasToken || !hasSecret)
        {
            var missing = !hasToken && !hasSecret ? "'oauth_token' and 'oauth_token_secret'" : !hasToken ? "'oauth_token'" : "'oauth_token_secret'";
            var present = fields.Count == 0 ? "none"
                : fields.Keys.All(LooksLikeFieldName) ? string.Join(", ", fields.Keys)
                : "none that look like form fields; the body is not a form-encoded token response";
            var problem = fields.TryGetValue("oauth_problem", out var p) ? $" The server reported oauth_problem={p}." : "";
            throw new FormatException($"The OAuth token response is missing {missing} (other fields present: {present}).{problem}");
        }

        return (token!, secret!, fields);
    }

    private static bool LooksLikeFieldName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
