using System.Security.Cryptography;
using System.Text;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>RFC 5849 §3.4.2–§3.4.4: turning a signature base string into <c>oauth_signature</c>, and checking one.</summary>
public static class OAuthSignature
{
    /// <summary>
    /// Signs <paramref name="baseString"/> (§3.4.1.1). HMAC methods (§3.4.2) use the key of
    /// <see cref="SharedSecretKey"/>; RSA-SHA1 (§3.4.3) signs with RSASSA-PKCS1-v1_5 over SHA-1 using
    /// <paramref name="privateKey"/>; PLAINTEXT (§3.4.4) ignores the base string. The result is the raw
    /// (not yet percent-encoded) signature.
    /// </summary>
    public static string Sign(SignatureMethod method, string baseString, string consumerSecret, string? tokenSecret, RSA? privateKey)
    {
        ArgumentNullException.ThrowIfNull(baseString);
        ArgumentNullException.ThrowIfNull(consumerSecret);
        return method switch
        {
            SignatureMethod.HmacSha1 => Convert.ToBase64String(
                HMACSHA1.HashData(Utf8(SharedSecretKey(consumerSecret, tokenSecret)), Utf8(baseString))),
            SignatureMethod.HmacSha256 => Convert.ToBase64String(
                HMACSHA256.HashData(Utf8(SharedSecretKey(consumerSecret, tokenSecret)), Utf8(baseString))),
            SignatureMethod.Plaintext => SharedSecretKey(consumerSecret, tokenSecret),
            SignatureMethod.RsaSha1 => Convert.ToBase64String(
                RequireKey(privateKey, "private").SignData(Utf8(baseString), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown OAuth signature method."),
        };
    }

    /// <summary>
    /// The server side of §3.4: recomputes HMAC/PLAINTEXT signatures and compares them in constant time;
    /// verifies RSA-SHA1 with <paramref name="publicKey"/> (RFC 3447 §8.2.2). Malformed signatures are
    /// simply invalid.
    /// </summary>
    public static bool Verify(SignatureMethod method, string baseString, string signature, string consumerSecret, string? tokenSecret, RSA? publicKey)
    {
        ArgumentNullException.ThrowIfNull(baseString);
        ArgumentNullException.ThrowIfNull(signature);
        if (method == SignatureMethod.RsaSha1)
        {
            var key = RequireKey(publicKey, "public");
            var bytes = new byte[(signature.Length / 4 * 3) + 3];
            return Convert.TryFromBase64String(signature, bytes, out var length)
                && key.VerifyData(Utf8(baseString), bytes.AsSpan(0, length), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        }

        var expected = Sign(method, baseString, consumerSecret, tokenSecret, privateKey: null);
        return CryptographicOperations.FixedTimeEquals(Utf8(expected), Utf8(signature));
    }

    /// <summary>
    /// §3.4.2 <c>key</c> and §3.4.4 signature: <c>enc(consumer secret) &amp; enc(token secret)</c>; the
    /// <c>&amp;</c> is present even when either secret is empty.
    /// </summary>
    public static string SharedSecretKey(string consumerSecret, string? tokenSecret) =>
        OAuthEncoding.PercentEncode(consumerSecret) + "&" + OAuthEncoding.PercentEncode(tokenSecret ?? "");

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static RSA RequireKey(RSA? key, string kind) =>
        key ?? throw new ArgumentException($"RSA-SHA1 needs the consumer's RSA {kind} key, and none was given.", nameof(key));
}
