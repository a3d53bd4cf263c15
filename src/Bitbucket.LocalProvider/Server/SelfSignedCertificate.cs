using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Bitbucket.LocalProvider;

/// <summary>
/// The certificate behind <c>--https</c>: self-signed, made in memory at start-up for 127.0.0.1 and localhost,
/// valid for a day. Clients trust it by its PEM file (<c>SSL_CERT_FILE</c>); nothing is installed anywhere.
/// </summary>
internal static class SelfSignedCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 Create(TimeProvider time)
    {
        // P-256: the handshake costs less than with RSA, which matters to a benchmark of short commands.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A subject of its own per start: chain building finds a root by its name, so two providers' certificates
        // in one SSL_CERT_FILE (the bench trusts several) must not share one.
        var subject = $"CN=bb-local-provider {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        // No key usage extension: OpenSSL (curl) takes a self-signed certificate as its own issuer only when
        // a key usage, if present, allows certificate signing, which a server certificate should not claim.
        var now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    /// <summary>Writes the certificate alone (no key) as PEM to <paramref name="path"/>.</summary>
    public static void Write(X509Certificate2 certificate, string path)
    {
        try
        {
            File.WriteAllText(path, certificate.ExportCertificatePem() + "\n", Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the TLS certificate to {path}: {e.Message}", e);
        }
    }
}
