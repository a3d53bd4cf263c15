using System.Security.Cryptography;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>Supplies <c>oauth_nonce</c> values (RFC 5849 §3.3); injectable so tests can pin them.</summary>
public interface INonceSource
{
    string NextNonce();
}

/// <summary>
/// 32 characters from <c>A-Z a-z 0-9</c> drawn with <see cref="RandomNumberGenerator"/> (about 190 bits).
/// Letters and digits only: they need no encoding and pass the strictest provider checks
/// (oauthlib's default nonce alphabet is exactly this set).
/// </summary>
public sealed class RandomNonceSource : INonceSource
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public const int Length = 32;

    public string NextNonce() => RandomNumberGenerator.GetString(Alphabet, Length);
}
