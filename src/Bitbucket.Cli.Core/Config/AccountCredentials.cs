using System.Text;

namespace Bitbucket.Cli.Core.Config;

/// <summary>How a stored login authenticates its requests; <c>hosts.json</c> stores the lower-case name.</summary>
internal enum AuthScheme
{
    /// <summary>OAuth 1.0a: every request signed with the consumer and the token and its secret (RFC 5849).</summary>
    OAuth1,

    /// <summary>OAuth 2.0 authorization code: a bearer access token, refreshed with the refresh token when it expires.</summary>
    OAuth2,

    /// <summary>A token sent as it is (<c>Authorization: Bearer</c>): a Data Center HTTP access token, a Cloud access token.</summary>
    Bearer,

    /// <summary>HTTP Basic with the account's login (a Cloud API token with the account's e-mail).</summary>
    Basic,
}

/// <summary>The names <c>hosts.json</c> and messages use for <see cref="AuthScheme"/>.</summary>
internal static class AuthSchemes
{
    public static string ToName(AuthScheme scheme) => scheme switch
    {
        AuthScheme.OAuth2 => "oauth2",
        AuthScheme.Bearer => "bearer",
        AuthScheme.Basic => "basic",
        _ => "oauth1",
    };

    public static bool TryParse(string? name, out AuthScheme scheme)
    {
        foreach (var candidate in Enum.GetValues<AuthScheme>())
        {
            if (string.Equals(ToName(candidate), name, StringComparison.Ordinal))
            {
                scheme = candidate;
                return true;
            }
        }

        scheme = AuthScheme.OAuth1;
        return false;
    }

    /// <summary>For people: <c>OAuth 1.0a</c>, <c>OAuth 2.0</c>, <c>bearer token</c>, <c>basic (API token)</c>.</summary>
    public static string DisplayName(AuthScheme scheme) => scheme switch
    {
        AuthScheme.OAuth2 => "OAuth 2.0",
        AuthScheme.Bearer => "bearer token",
        AuthScheme.Basic => "basic (API token)",
        _ => "OAuth 1.0a",
    };
}

/// <summary>
/// One logged-in account on a host. OAuth 1.0a: the access token and token secret (RFC 5849 section 2.3).
/// OAuth 2.0: the access token, its refresh token and when it expires. Bearer: the token. Basic: the
/// username (the account's key, e.g. an e-mail) and the API token. <c>ToString</c> redacts every secret.
/// </summary>
internal sealed record AccountCredentials(string Username, string Token, string TokenSecret)
{
    /// <summary>How requests are authenticated; OAuth 1.0a for every login made before other schemes existed.</summary>
    public AuthScheme Scheme { get; init; } = AuthScheme.OAuth1;

    /// <summary>OAuth 2.0 only: the refresh token (RFC 6749 section 6).</summary>
    public string? RefreshToken { get; init; }

    /// <summary>OAuth 2.0 only: when the access token stops working (null: unknown, refreshed only when refused).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A login that is not OAuth 1.0a: a token and nothing to sign with.</summary>
    public static AccountCredentials ForToken(string username, AuthScheme scheme, string token) =>
        new(username, token, string.Empty) { Scheme = scheme };

    private bool PrintMembers(StringBuilder builder)
    {
        builder.AppendValue(nameof(Username), Username).Append(", ")
            .AppendSecret(nameof(Token), Token).Append(", ")
            .AppendSecret(nameof(TokenSecret), TokenSecret);
        if (Scheme != AuthScheme.OAuth1)
        {
            builder.Append(", ").AppendValue(nameof(Scheme), AuthSchemes.ToName(Scheme)).Append(", ")
                .AppendSecret(nameof(RefreshToken), RefreshToken).Append(", ")
                .AppendValue(nameof(ExpiresAt), ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        return true;
    }
}
