using System.Net;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// Offers HTTP/2 over TLS, as gh (Go's net/http) does: an https request asks for 2.0 or lower, so ALPN picks
/// h2 where the server speaks it and HTTP/1.1 where it does not. Over h2 one connection (one TLS handshake)
/// carries every request of a command, the pages paging fetches side by side included; over HTTP/1.1 each
/// request in flight needs a connection of its own. Plain http stays HTTP/1.1 (no h2c upgrade guessing).
/// A request that chose its version itself (anything but the default 1.1 or lower) is left alone.
/// </summary>
internal sealed class HttpVersionHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Offer(request);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Sets <paramref name="request"/> to HTTP/2-or-lower when it goes to an https URL with the default version.</summary>
    internal static void Offer(HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri
            && uri.Scheme == Uri.UriSchemeHttps
            && request.Version == HttpVersion.Version11
            && request.VersionPolicy == HttpVersionPolicy.RequestVersionOrLower)
        {
            request.Version = HttpVersion.Version20;
        }
    }
}
