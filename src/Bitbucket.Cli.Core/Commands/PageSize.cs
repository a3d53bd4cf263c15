using System.Globalization;
using System.Net;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// Fewer round trips when every page is wanted (<c>--paginate</c>, <c>--limit N</c>): the first request of a
/// generated list command asks for the largest page the API allows — Cloud <c>pagelen=100</c> (its default
/// is often 10), Data Center <c>limit=1000</c> (the server's default maximum; a server set lower caps it
/// silently) — unless the request already names a size (the user's <c>--pagelen</c>/<c>--page-size</c>).
/// With <c>--limit N</c> below that, the page asks for N (Cloud: at least 10). Later pages keep the size:
/// Cloud's <c>next</c> carries it, Data Center's continuation keeps the query as sent. A server that refuses
/// the size (400: an endpoint with a smaller maximum) is asked again exactly as the user asked.
/// </summary>
internal static class PageSize
{
    public const int CloudMax = 100;
    public const int CloudMin = 10;
    public const int DataCenterMax = 1000;

    /// <summary>The query parameter that sets the page size for <paramref name="flavor"/>.</summary>
    public static string ParameterName(ApiFlavor flavor) => flavor == ApiFlavor.DataCenter ? "limit" : "pagelen";

    /// <summary>The page size to ask for when following every page, given <c>--limit</c> (<see cref="long.MaxValue"/> for none).</summary>
    public static int For(ApiFlavor flavor, long limit) => flavor == ApiFlavor.DataCenter
        ? (int)Math.Clamp(limit, 1, DataCenterMax)
        : (int)Math.Clamp(limit, CloudMin, CloudMax);

    /// <summary><paramref name="uri"/> with the page size added, or unchanged when its query already names one.</summary>
    public static Uri WithPageSize(Uri uri, string name, int size)
    {
        var query = uri.Query.TrimStart('?');
        foreach (var pair in query.Split('&'))
        {
            if (pair == name || pair.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return uri;
            }
        }

        var added = name + "=" + size.ToString(CultureInfo.InvariantCulture);
        return new Uri(uri.GetLeftPart(UriPartial.Path) + "?" + (query.Length == 0 ? added : query + "&" + added) + uri.Fragment);
    }

    /// <summary>
    /// A client for the command's one Refit call that sends it through <paramref name="session"/> (the signing
    /// pipeline) with the page size added. Dispose it after the call; <paramref name="session"/> stays open.
    /// </summary>
    public static HttpClient Client(HttpClient session, ApiFlavor flavor, long limit) =>
        new(new Handler(session, ParameterName(flavor), For(flavor, limit)), disposeHandler: true)
        {
            BaseAddress = session.BaseAddress,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Re-sends each request as a copy with the page size in its URL: an <see cref="HttpClient"/> refuses a
    /// request another client already sent, and the copy is what the response's <c>RequestMessage</c> names,
    /// so paging continues from the URL that was really requested.
    /// </summary>
    private sealed class Handler(HttpClient session, string name, int size) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var absolute = uri.IsAbsoluteUri ? uri : new Uri(session.BaseAddress!, uri);
            var sized = request.Method == HttpMethod.Get ? WithPageSize(absolute, name, size) : absolute;
            var response = await session.SendAsync(Copy(request, sized), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.BadRequest || sized == absolute)
            {
                return response;
            }

            // An endpoint whose maximum is smaller refuses the size: ask again exactly as the user did.
            response.Dispose();
            return await session.SendAsync(Copy(request, absolute), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }

        private static HttpRequestMessage Copy(HttpRequestMessage request, Uri uri)
        {
            var copy = new HttpRequestMessage(request.Method, uri)
            {
                Content = request.Content,
                Version = request.Version,
                VersionPolicy = request.VersionPolicy,
            };
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            foreach (var option in request.Options)
            {
                ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
            }

            return copy;
        }
    }
}
