using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Bitbucket.LocalProvider.OAuth;

/// <summary>A temporary credential (RFC 5849 §2.1) on its way through the approve page.</summary>
internal sealed class RequestToken(string token, string secret, string consumerKey, string callback)
{
    public string Token { get; } = token;
    public string Secret { get; } = secret;
    public string ConsumerKey { get; } = consumerKey;
    public string Callback { get; } = callback;

    /// <summary>Set when the user approves (RFC 5849 §2.2); guarded by the store's lock.</summary>
    public string? Verifier { get; set; }

    public bool Denied { get; set; }

    public bool IsOutOfBand => Callback == "oob";
}

/// <summary>Token credentials (RFC 5849 §2.3): usable only by the consumer they were issued to.</summary>
internal sealed record AccessToken(string Token, string Secret, string ConsumerKey, string Username)
{
    public override string ToString() => $"AccessToken {{ ConsumerKey = {ConsumerKey}, Username = {Username} }}";
}

/// <summary>Issued tokens and used nonces, all in memory.</summary>
internal sealed class TokenStore(TimeProvider time, TimeSpan timestampWindow)
{
    private readonly Lock sync = new();
    private readonly ConcurrentDictionary<string, RequestToken> requestTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccessToken> accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> nonces = new(StringComparer.Ordinal);

    public RequestToken IssueRequestToken(string consumerKey, string callback)
    {
        var token = new RequestToken(NewToken(), NewSecret(), consumerKey, callback);
        requestTokens[token.Token] = token;
        return token;
    }

    public RequestToken? FindRequestToken(string token) => requestTokens.GetValueOrDefault(token);

    public AccessToken? FindAccessToken(string token) => accessTokens.GetValueOrDefault(token);

    /// <summary>Records the user's decision; false if the token was already decided.</summary>
    public bool TryDecide(RequestToken token, bool approve)
    {
        lock (sync)
        {
            if (token.Verifier is not null || token.Denied)
            {
                return false;
            }

            // Out of band the user types the verifier, so it is a short PIN (RFC 5849 §2.2 leaves the format open).
            if (approve)
            {
                token.Verifier = token.IsOutOfBand
                    ? RandomNumberGenerator.GetInt32(0, 10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture)
                    : NewToken();
            }
            else
            {
                token.Denied = true;
            }

            return true;
        }
    }

    /// <summary>Swaps an approved request token for an access token; a request token is exchanged once.</summary>
    public AccessToken? Exchange(RequestToken token, string username)
    {
        if (!requestTokens.TryRemove(token.Token, out _))
        {
            return null;
        }

        var access = new AccessToken(NewToken(), NewSecret(), token.ConsumerKey, username);
        accessTokens[access.Token] = access;
        return access;
    }

    /// <summary>
    /// RFC 5849 §3.3: a nonce is unique per consumer key and timestamp. Nonces are forgotten once their
    /// timestamp is outside the window, since such a request is refused by the timestamp check anyway.
    /// </summary>
    public bool TryUseNonce(string consumerKey, string timestamp, string nonce)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (nonces.Count > 10_000)
        {
            foreach (var (key, seen) in nonces)
            {
                if (now - seen > timestampWindow.TotalSeconds * 2)
                {
                    nonces.TryRemove(key, out _);
                }
            }
        }

        return nonces.TryAdd($"{consumerKey}\n{timestamp}\n{nonce}", now);
    }

    /// <summary>Compares secrets without leaking where they differ.</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string NewToken() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    private static string NewSecret() => RandomNumberGenerator.GetHexString(40, lowercase: true);
}
