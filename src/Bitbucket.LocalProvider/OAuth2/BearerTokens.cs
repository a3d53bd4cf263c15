using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Bitbucket.LocalProvider.OAuth;

namespace Bitbucket.LocalProvider.OAuth2;

/// <summary>A Cloud API token the provider accepts with HTTP Basic: the account's login (e-mail) and the token.</summary>
public sealed record LocalApiToken(string Login, string Token)
{
    public override string ToString() => $"LocalApiToken {{ Login = {Login} }}";
}

/// <summary>An authorization code on its way from the approve page to the token endpoint (RFC 6749 section 4.1.2).</summary>
internal sealed record AuthorizationCode(string Code, string ClientId, string RedirectUri, DateTimeOffset ExpiresAt);

/// <summary>An OAuth 2.0 access token or a seeded bearer token (null expiry: never expires).</summary>
internal sealed record BearerToken(string Token, string ClientId, string Username, DateTimeOffset? ExpiresAt);

/// <summary>A refresh token; single use: refreshing replaces it (rotation), so a replayed one is refused.</summary>
internal sealed record RefreshToken(string Token, string ClientId, string Username);

/// <summary>
/// Everything that authenticates without OAuth 1.0a signatures, in memory: OAuth 2.0 codes, access and
/// refresh tokens (access tokens last <see cref="LocalProviderOptions.OAuth2TokenLifetime"/>), seeded
/// bearer tokens (Data Center HTTP access tokens, Cloud access tokens) and API tokens for HTTP Basic.
/// </summary>
internal sealed class BearerTokens(LocalProviderOptions options, IReadOnlyList<LocalConsumer> consumers)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, AuthorizationCode> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BearerToken> tokens = Seeded(options, consumers);
    private readonly ConcurrentDictionary<string, RefreshToken> refreshTokens = new(StringComparer.Ordinal);
    private int refreshCount;

    /// <summary>How many refresh grants succeeded (test hooks report it).</summary>
    public int RefreshCount => Volatile.Read(ref refreshCount);

    public LocalConsumer? FindConsumer(string key) => consumers.FirstOrDefault(c => c.Key == key);

    public AuthorizationCode IssueCode(string clientId, string redirectUri)
    {
        var code = new AuthorizationCode(NewToken(), clientId, redirectUri, options.TimeProvider.GetUtcNow() + CodeLifetime);
        codes[code.Code] = code;
        return code;
    }

    /// <summary>The code, once: it is removed whether or not it is still valid.</summary>
    public AuthorizationCode? TakeCode(string code) =>
        codes.TryRemove(code, out var found) && found.ExpiresAt > options.TimeProvider.GetUtcNow() ? found : null;

    /// <summary>A new access token and refresh token for <paramref name="clientId"/>.</summary>
    public (BearerToken Access, RefreshToken Refresh) IssuePair(string clientId, string username)
    {
        var access = new BearerToken(NewToken(), clientId, username, options.TimeProvider.GetUtcNow() + options.OAuth2TokenLifetime);
        var refresh = new RefreshToken(NewToken(), clientId, username);
        tokens[access.Token] = access;
        refreshTokens[refresh.Token] = refresh;
        return (access, refresh);
    }

    /// <summary>Swaps a refresh token for a new pair; the old refresh token stops working.</summary>
    public (BearerToken Access, RefreshToken Refresh)? Refresh(string refreshToken, string clientId)
    {
        if (!refreshTokens.TryGetValue(refreshToken, out var found) || found.ClientId != clientId || !refreshTokens.TryRemove(refreshToken, out _))
        {
            return null;
        }

        Interlocked.Increment(ref refreshCount);
        return IssuePair(clientId, found.Username);
    }

    /// <summary>Test hook: every OAuth 2.0 access token issued so far expires now.</summary>
    public int ExpireAll()
    {
        var now = options.TimeProvider.GetUtcNow();
        var expired = 0;
        foreach (var (key, token) in tokens)
        {
            if (token.ExpiresAt is not null && tokens.TryUpdate(key, token with { ExpiresAt = now }, token))
            {
                expired++;
            }
        }

        return expired;
    }

    /// <summary>
    /// A <c>Bearer</c> or <c>Basic</c> Authorization header, checked; null when the request carries neither
    /// (OAuth 1.0a verification then runs as always).
    /// </summary>
    public (VerifiedRequest? Verified, OAuthFailure? Failure)? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is not { Length: > 0 } parameter)
        {
            return null;
        }

        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (!tokens.TryGetValue(parameter, out var token))
            {
                return (null, OAuthFailure.Unauthorized("invalid access token", problem: "token_rejected"));
            }

            if (token.ExpiresAt is { } expiry && expiry <= options.TimeProvider.GetUtcNow())
            {
                return (null, OAuthFailure.Unauthorized("Access token expired. Use your refresh token to obtain a new access token.", problem: "token_expired"));
            }

            return (Verified(token.ClientId, token.Token, token.Username), null);
        }

        if (value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            var (login, secret) = DecodeBasic(parameter);
            var match = options.ApiTokens.FirstOrDefault(t =>
                string.Equals(t.Login, login, StringComparison.OrdinalIgnoreCase) && TokenStore.FixedTimeEquals(t.Token, secret ?? string.Empty));
            return match is null
                ? (null, OAuthFailure.Unauthorized("invalid login or API token", problem: "token_rejected"))
                : (Verified(consumers[0].Key, match.Token, options.User), null);
        }

        return null;
    }

    /// <summary><c>user:password</c> from a Basic parameter; (null, null) when it is not one.</summary>
    public static (string? User, string? Password) DecodeBasic(string parameter)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private VerifiedRequest Verified(string clientId, string token, string username)
    {
        var consumer = FindConsumer(clientId) ?? consumers[0];
        return new VerifiedRequest(consumer, new Dictionary<string, string>(), null, new AccessToken(token, string.Empty, consumer.Key, username));
    }

    private static ConcurrentDictionary<string, BearerToken> Seeded(LocalProviderOptions options, IReadOnlyList<LocalConsumer> consumers)
    {
        var seeded = new ConcurrentDictionary<string, BearerToken>(StringComparer.Ordinal);
        foreach (var token in options.SeedTokens)
        {
            seeded[token] = new BearerToken(token, consumers[0].Key, options.User, null);
        }

        return seeded;
    }

    private static string NewToken() => RandomNumberGenerator.GetHexString(40, lowercase: true);
}
