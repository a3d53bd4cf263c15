namespace Bitbucket.Cli.Core.Http;

/// <summary>Removes the Authorization header from requests to origins it was not issued for.</summary>
internal sealed class OriginGuardHandler(IReadOnlyCollection<string> allowedOrigins) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && !allowedOrigins.Contains(HttpPipeline.OriginOf(uri), StringComparer.Ordinal))
        {
            request.Headers.Authorization = null;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
