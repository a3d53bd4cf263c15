using System.Security.Cryptography;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>Loads the consumer's RSA private key for RSA-SHA1 (RFC 5849 §3.4.3).</summary>
public static class RsaKeys
{
    private const string Pkcs1Label = "RSA PRIVATE KEY";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string EncryptedPkcs8Label = "ENCRYPTED PRIVATE KEY";

    /// <summary>
    /// Reads a PEM file holding an unencrypted RSA private key, PKCS#1 (<c>BEGIN RSA PRIVATE KEY</c>) or
    /// PKCS#8 (<c>BEGIN PRIVATE KEY</c>). Errors name the file and the problem, never key material.
    /// </summary>
    /// <exception cref="InvalidDataException">The file holds no usable RSA private key.</exception>
    public static RSA LoadPrivateKeyPem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ParsePrivateKeyPem(File.ReadAllText(path), $"'{path}'");
    }

    /// <summary>As <see cref="LoadPrivateKeyPem"/>, for PEM text (e.g. from an environment variable); <paramref name="source"/> names it in errors.</summary>
    public static RSA ParsePrivateKeyPem(string pem, string source = "the RSA key")
    {
        ArgumentNullException.ThrowIfNull(pem);
        string? label = null;
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var found = rest[fields.Label].ToString();
            if (found is Pkcs1Label or Pkcs8Label or EncryptedPkcs8Label)
            {
                label = found;
                break;
            }

            label ??= found;
            rest = rest[fields.Location.End..];
        }

        if (label is null)
        {
            throw new InvalidDataException($"{source} is not a PEM file: expected '-----BEGIN RSA PRIVATE KEY-----' (PKCS#1) or '-----BEGIN PRIVATE KEY-----' (PKCS#8).");
        }

        if (label == EncryptedPkcs8Label)
        {
            throw new InvalidDataException($"{source} holds an encrypted private key; decrypt it first (for example: openssl pkcs8 -in key.pem -out plain.pem).");
        }

        if (label is not (Pkcs1Label or Pkcs8Label))
        {
            throw new InvalidDataException($"{source} holds a PEM '{label}' block, not an RSA private key ('RSA PRIVATE KEY' or 'PRIVATE KEY').");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();

            // The inner message comes from the ASN.1 reader and carries no key bytes.
            throw new InvalidDataException($"{source} does not hold a valid RSA private key ({label}): the key data is corrupt or not RSA.", ex);
        }
    }
}
