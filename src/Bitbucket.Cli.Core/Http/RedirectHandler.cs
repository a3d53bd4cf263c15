using System.Net;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// Follows redirects above the signing handler, so a same-origin redirect is signed afresh for its
/// new URL and a cross-origin one travels without credentials (the origin guard strips them).
/// </summary>
internal sealed class RedirectHandler : DelegatingHandler
{
    private const int MaxRedirects = 10;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        for (var hops = 0; hops < MaxRedirects && IsRedirect(response.StatusCode) && response.Headers.Location is { } location; hops++)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            {
                return response;
            }

            // 303, and 301/302 after a POST, turn into a GET without a body (as browsers do).
            var keepMethod = response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
                || (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head);
            var next = new HttpRequestMessage(keepMethod ? request.Method : HttpMethod.Get, target);
            if (keepMethod && request.Content is not null)
            {
                next.Content = request.Content;
            }

            foreach (var header in request.Headers)
            {
                if (!string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            foreach (var option in request.Options)
            {
                ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
            }

            response.Dispose();
            request = next;
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
