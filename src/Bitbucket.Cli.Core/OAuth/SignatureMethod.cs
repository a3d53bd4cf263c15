namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// The signature methods of RFC 5849 §3.4 (HMAC-SHA1 §3.4.2, RSA-SHA1 §3.4.3, PLAINTEXT §3.4.4),
/// plus HMAC-SHA256, a widely deployed extension that differs from HMAC-SHA1 only in the digest.
/// </summary>
public enum SignatureMethod
{
    HmacSha1,
    HmacSha256,
    Plaintext,
    RsaSha1,
}

/// <summary>Maps <see cref="SignatureMethod"/> to and from its <c>oauth_signature_method</c> value.</summary>
public static class SignatureMethods
{
    /// <summary>The value sent as <c>oauth_signature_method</c> (RFC 5849 §3.1).</summary>
    public static string ToWire(SignatureMethod m) => m switch
    {
        SignatureMethod.HmacSha1 => "HMAC-SHA1",
        SignatureMethod.HmacSha256 => "HMAC-SHA256",
        SignatureMethod.Plaintext => "PLAINTEXT",
        SignatureMethod.RsaSha1 => "RSA-SHA1",
        _ => throw new ArgumentOutOfRangeException(nameof(m), m, "Unknown OAuth signature method."),
    };

    /// <summary>
    /// Parses a signature method case-insensitively, ignoring <c>-</c> and <c>_</c>: accepts the wire
    /// names (<c>HMAC-SHA1</c>), their lower-case forms (<c>hmac-sha1</c>) and the enum names (<c>HmacSha1</c>).
    /// </summary>
    public static bool TryParse(string? text, out SignatureMethod m)
    {
        m = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var key = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        SignatureMethod? parsed =
            key.Equals("hmacsha1", StringComparison.OrdinalIgnoreCase) ? SignatureMethod.HmacSha1
            : key.Equals("hmacsha256", StringComparison.OrdinalIgnoreCase) ? SignatureMethod.HmacSha256
            : key.Equals("plaintext", StringComparison.OrdinalIgnoreCase) ? SignatureMethod.Plaintext
            : key.Equals("rsasha1", StringComparison.OrdinalIgnoreCase) ? SignatureMethod.RsaSha1
            : null;
        if (parsed is null)
        {
            return false;
        }

        m = parsed.Value;
        return true;
    }
}
