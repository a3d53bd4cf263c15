using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Bitbucket.Cli.Core.Http;

/// <summary>A server certificate the platform's checks refused, with the reason in bb's words.</summary>
internal sealed class UntrustedCertificateException(string message) : AuthenticationException(message);

/// <summary>
/// The platform's certificate checks, unchanged (nothing is ever accepted that they refuse), with a refusal
/// that says why: the runtime's own message is a bare resource key in the trimmed native build.
/// </summary>
internal static class CertificateCheck
{
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => errors switch
    {
        SslPolicyErrors.None => true,
        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) => throw new UntrustedCertificateException("the server sent no certificate"),
        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) => throw new UntrustedCertificateException("its certificate is for another host name"),
        _ => throw new UntrustedCertificateException("its certificate is not trusted (SSL_CERT_FILE names the certificates to trust)"),
    };
}
