namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// The OAuth 1.0a signature methods a host may be configured with, as stored in the file
/// (RFC 5849 section 3.4 names). Plain strings on purpose: the OAuth layer maps them to its own type.
/// </summary>
public static class SignatureMethodNames
{
    public const string HmacSha1 = "HMAC-SHA1";
    public const string HmacSha256 = "HMAC-SHA256";
    public const string Plaintext = "PLAINTEXT";
    public const string RsaSha1 = "RSA-SHA1";

    /// <summary>Every supported name, in canonical spelling.</summary>
    public static IReadOnlyList<string> All { get; } = [HmacSha1, HmacSha256, Plaintext, RsaSha1];

    /// <summary>The canonical spelling of <paramref name="name"/> (any case), or null when it is not supported.</summary>
    public static string? Normalize(string? name)
        => name is null ? null : All.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));

    internal static bool IsCanonical(string? name) => name is not null && All.Contains(name, StringComparer.Ordinal);
}
