using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// Streams the values of every page to the output. A Cloud page's <c>next</c> is followed exactly as the
/// server gave it; a Data Center page (<c>isLastPage</c>, <c>nextPageStart</c>) is continued with the same URL
/// and <c>start</c> set to <c>nextPageStart</c>. One page is held at a time, so memory stays flat however many
/// pages there are (the pages already fetched are remembered as 16-byte fingerprints, to stop a loop).
/// </summary>
/// <param name="http">The session's client: later pages are signed like the first.</param>
/// <param name="follow">Fetch the pages after the first (<c>--paginate</c>, <c>--limit</c>).</param>
/// <param name="limit">Stop after this many items.</param>
internal sealed class Paginator(ConsoleIO io, HttpClient http, bool follow, long limit)
{
    /// <summary>The <c>--limit</c> value as an item count (no limit: <see cref="long.MaxValue"/>).</summary>
    public static long ParseLimit(int? limit) =>
        limit is { } l ? (l >= 0 ? l : throw new UsageException("--limit must be 0 or more")) : long.MaxValue;

    /// <summary>Prints the first page's body and, when following, every next page's, as one list.</summary>
    /// <remarks>Even when a later page fails, stdout stays one valid JSON array of what was fetched.</remarks>
    public async Task PrintAsync(Stream firstBody, Uri firstUri, OutputWriter output, CancellationToken ct)
    {
        var sink = output.CreateListSink();
        using var progress = new ProgressReporter(io.Error, io.StderrIsTty && follow);
        long written = 0;
        var body = firstBody;
        var pageUri = firstUri;
        HttpResponseMessage? current = null;
        var fetched = new HashSet<UInt128> { Fingerprint(firstUri) };
        sink.BeginList();
        try
        {
            while (true)
            {
                var (link, count) = await PrintPageAsync(body, pageUri, sink, progress, written, ct).ConfigureAwait(false);
                written += count;
                if (!follow || written >= limit || NextPageUri(pageUri, link) is not { } nextUri)
                {
                    break;
                }

                if (!fetched.Add(Fingerprint(nextUri)))
                {
                    throw new CliException($"the response from {pageUri.AbsolutePath} has a 'next' link to a page already fetched, so paging did not advance; stopped after the pages so far");
                }

                current?.Dispose();
                pageUri = nextUri;
                current = await FetchAsync(pageUri, ct).ConfigureAwait(false);
                body = await current.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            current?.Dispose();
            progress.Clear();
            sink.EndList();
            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one page's values (up to the limit); returns how the list continues and how many were written.</summary>
    private async Task<(PageLink Link, long Written)> PrintPageAsync(Stream body, Uri pageUri, ItemSink sink, ProgressReporter progress, long writtenBefore, CancellationToken ct)
    {
        using var page = await PageReader.ReadPageAsync(body, ct).ConfigureAwait(false);

        // The progress line and the items may share one terminal: clear it before printing.
        progress.Clear();
        if (!page.IsPaginated)
        {
            throw new CliException($"the response from {pageUri.AbsolutePath} is not a paginated list (no 'values')");
        }

        long written = 0;
        foreach (var item in page.Values)
        {
            if (writtenBefore + written >= limit)
            {
                break;
            }

            sink.WriteItem(item);
            written++;
        }

        sink.EndPage();
        await io.Out.FlushAsync(ct).ConfigureAwait(false);
        progress.PageFetched(page.Values.Count);
        return (new PageLink(page.Paging, page.Next, page.IsLastPage, page.NextPageStart), written);
    }

    /// <summary>The URL of the page after <paramref name="pageUri"/>, or null when it was the last.</summary>
    /// <exception cref="CliException">A Data Center <c>nextPageStart</c> that does not advance past this page's <c>start</c>.</exception>
    internal static Uri? NextPageUri(Uri pageUri, PageLink link)
    {
        if (link.Paging == PagingStyle.NextLink)
        {
            return link.Next is { } next ? NextPageUri(pageUri, next) : null;
        }

        if (link.IsLastPage == true || link.NextPageStart is not { } nextStart)
        {
            return null;
        }

        // Strictly increasing starts also mean no start is ever requested twice.
        var start = StartOf(pageUri);
        return nextStart > start
            ? WithStart(pageUri, nextStart)
            : throw new CliException(string.Create(
                CultureInfo.InvariantCulture,
                $"the response from {pageUri.AbsolutePath} has nextPageStart {nextStart}, which did not advance past start {start}; stopped after the pages so far"));
    }

    /// <summary>The <c>start</c> this page was requested with (Data Center's default: 0).</summary>
    internal static long StartOf(Uri pageUri)
    {
        foreach (var pair in pageUri.Query.TrimStart('?').Split('&'))
        {
            if (pair.StartsWith("start=", StringComparison.Ordinal)
                && long.TryParse(pair.AsSpan("start=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                return start;
            }
        }

        return 0;
    }

    /// <summary><paramref name="pageUri"/> with <c>start</c> set (in place when present) and every other parameter exactly as sent.</summary>
    internal static Uri WithStart(Uri pageUri, long start)
    {
        var value = "start=" + start.ToString(CultureInfo.InvariantCulture);
        var query = pageUri.Query.TrimStart('?');
        var pairs = new List<string>();
        var replaced = false;
        foreach (var pair in query.Length == 0 ? [] : query.Split('&'))
        {
            if (pair == "start" || pair.StartsWith("start=", StringComparison.Ordinal))
            {
                if (!replaced)
                {
                    pairs.Add(value);
                    replaced = true;
                }

                continue;
            }

            pairs.Add(pair);
        }

        if (!replaced)
        {
            pairs.Add(value);
        }

        return new Uri(pageUri.GetLeftPart(UriPartial.Path) + "?" + string.Join('&', pairs));
    }

    /// <summary>A page URL as 128 bits of its SHA-256: enough to recognise it again, small enough to keep for every page.</summary>
    private static UInt128 Fingerprint(Uri uri) =>
        BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(uri.AbsoluteUri)));

    /// <summary>Followed as given, but only to http(s): a server must not send bb to file:, ftp: or nowhere.</summary>
    internal static Uri NextPageUri(Uri pageUri, string next) =>
        Uri.TryCreate(pageUri, next, out var nextUri) && (nextUri.Scheme == Uri.UriSchemeHttp || nextUri.Scheme == Uri.UriSchemeHttps)
            ? nextUri
            : throw new CliException($"the response from {pageUri.AbsolutePath} has a 'next' link that is not an http(s) URL; stopped after the pages so far");

    private async Task<HttpResponseMessage> FetchAsync(Uri pageUri, CancellationToken ct)
    {
        var response = await HttpBodies.LabelFailuresAsync(pageUri, () => http.GetAsync(pageUri, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await HttpBodies.ApiErrorAsync(response, ct).ConfigureAwait(false);
            }
        }

        return response;
    }
}

/// <summary>How a printed page says the list continues (its document is gone by the time the next URL is made).</summary>
internal readonly record struct PageLink(PagingStyle Paging, string? Next, bool? IsLastPage, long? NextPageStart);
