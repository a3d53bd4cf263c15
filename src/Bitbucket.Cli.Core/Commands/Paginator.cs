using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// Streams the values of every page to the output, following <c>next</c> exactly as the server gave
/// it. One page is held at a time, so memory stays flat however many pages there are.
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
        sink.BeginList();
        try
        {
            while (true)
            {
                var (next, count) = await PrintPageAsync(body, pageUri, sink, progress, written, ct).ConfigureAwait(false);
                written += count;
                if (!follow || written >= limit || next is null)
                {
                    break;
                }

                current?.Dispose();
                pageUri = NextPageUri(pageUri, next);
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

    /// <summary>Writes one page's values (up to the limit); returns its <c>next</c> link and how many were written.</summary>
    private async Task<(string? Next, long Written)> PrintPageAsync(Stream body, Uri pageUri, ItemSink sink, ProgressReporter progress, long writtenBefore, CancellationToken ct)
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
        return (page.Next, written);
    }

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
