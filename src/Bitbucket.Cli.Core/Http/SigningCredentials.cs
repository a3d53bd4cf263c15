using System.Security.Cryptography;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core.Http;

/// <summary>Turns a resolved host into what the signer needs, refusing what must not be sent.</summary>
internal static class SigningCredentials
{
    private const AuthScheme SchemeOAuth1 = AuthScheme.OAuth1;
    private const UnixFileMode SharedBits = UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// The credentials to sign with: consumer and token (three-legged), consumer only (two-legged),
    /// or none (anonymous). PLAINTEXT is refused over plain HTTP except to loopback (RFC 5849 §3.4.4).
    /// </summary>
    /// <param name="warnings">Receives the warning about an RSA key other users can read.</param>
    public static OAuthCredentials? For(ResolvedHost host, Uri apiUrl, TextWriter warnings)
    {
        if (!host.HasConsumer || host.Scheme != SchemeOAuth1)
        {
            return null;
        }

        RequirePlaintextSafe(host.SignatureMethod, apiUrl);
        var key = host.SignatureMethod == SignatureMethod.RsaSha1 ? LoadRsaKey(host.RsaKeyPath, warnings) : null;
        return new OAuthCredentials(host.ConsumerKey!, host.ConsumerSecret ?? string.Empty, host.Token, host.TokenSecret, host.SignatureMethod, key);
    }

    /// <exception cref="UsageException">PLAINTEXT to <paramref name="url"/> would send the secrets in the clear.</exception>
    public static void RequirePlaintextSafe(SignatureMethod method, Uri url)
    {
        if (method == SignatureMethod.Plaintext && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            throw new UsageException($"PLAINTEXT signatures send the secrets as they are; refusing to use them over plain http to {url.Host} (use https)");
        }
    }

    /// <exception cref="UsageException">A token (bearer, basic, OAuth 2.0) would cross plain http to a host other than loopback.</exception>
    public static void RequireTls(AuthScheme scheme, Uri url)
    {
        if (scheme != AuthScheme.OAuth1 && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            throw new UsageException($"{AuthSchemes.DisplayName(scheme)} credentials travel as they are; refusing to send them over plain http to {url.Host} (use https)");
        }
    }

    /// <summary>Reads the RSA-SHA1 private key, warning when other users can read it.</summary>
    /// <exception cref="UsageException">No path, or the file is not a usable PEM private key.</exception>
    public static RSA LoadRsaKey(string? path, TextWriter warnings)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new UsageException("RSA-SHA1 needs a private key: log in again with --rsa-key FILE");
        }

        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & SharedBits) != 0)
        {
            warnings.WriteLine($"bb: warning: the RSA key {path} is readable by other users; run chmod 600 {path}");
        }

        try
        {
            return RsaKeys.LoadPrivateKeyPem(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException or ArgumentException)
        {
            throw new UsageException($"cannot use the RSA key {path}: {e.Message}");
        }
    }
}
