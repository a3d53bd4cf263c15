using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// <remarks>
/// <para><b>Pages in parallel.</b> When a Cloud page reports <c>size</c> and <c>pagelen</c> and its <c>next</c>
/// differs from the page's own URL only in a numeric <c>page</c>, the remaining pages are known in advance:
/// they are fetched up to <c>window</c> at a time (<c>--parallel</c>, default <see cref="DefaultWindow"/>) and
/// printed strictly in order, so memory is bounded by the window (each fetch holds one parsed page). Every
/// printed page's own <c>next</c> is still checked: when it is not the page already under way (the list
/// changed), the pages under way are dropped and paging follows that <c>next</c> as given. A page that fails
/// fails the command after the pages before it were printed, as in the sequential path (each request has
/// the same retries); a page that was rate limited (429) on the way drops the window to 1 for the rest.</para>
/// <para>Anything else — Data Center, a <c>next</c> that changes more than <c>page</c>, no <c>size</c> — is
/// followed one page at a time.</para>
/// </remarks>
/// <param name="http">The session's client: later pages are signed like the first.</param>
/// <param name="follow">Fetch the pages after the first (<c>--paginate</c>, <c>--limit</c>).</param>
/// <param name="limit">Stop after this many items.</param>
/// <param name="window">How many pages may be fetched at once when it is safe; 1 is sequential.</param>
internal sealed class Paginator(ConsoleIO io, HttpClient http, bool follow, long limit, int window = 1)
{
    /// <summary>Pages fetched at once by default when it is safe.</summary>
    public const int DefaultWindow = 4;

    private readonly HashSet<UInt128> fetched = [];
    private long written;

    /// <summary>The <c>--limit</c> value as an item count (no limit: <see cref="long.MaxValue"/>).</summary>
    public static long ParseLimit(int? limit) =>
        limit is { } l ? (l >= 0 ? l : throw new UsageException("--limit must be 0 or more")) : long.MaxValue;

    /// <summary>The <c>--parallel</c> value as a window (none: <see cref="DefaultWindow"/>).</summary>
    public static int ParseWindow(int? parallel) =>
        parallel is { } n ? (n >= 1 ? n : throw new UsageException("--parallel must be 1 or more")) : DefaultWindow;

    /// <summary>The window now: <c>window</c> until a page was rate limited, then 1.</summary>
    public int Window { get; private set; } = window;

    /// <summary>Prints the first page's body and, when following, every next page's, as one list.</summary>
    /// <remarks>Even when a later page fails, stdout stays one valid JSON array of what was fetched.</remarks>
    public async Task PrintAsync(Stream firstBody, Uri firstUri, OutputWriter output, CancellationToken ct)
    {
        var sink = output.CreateListSink();
        using var progress = new ProgressReporter(io.Error, io.StderrIsTty && follow);
        var completed = false;
        fetched.Add(Fingerprint(firstUri));
        sink.BeginList();
        try
        {
            var pageUri = firstUri;
            var page = await PageReader.ReadPageAsync(firstBody, ct).ConfigureAwait(false);
            while (true)
            {
                Uri? nextUri;
                ParallelPlan? plan = null;
                using (page)
                {
                    var link = await PrintPageAsync(page, pageUri, sink, progress, ct).ConfigureAwait(false);
                    if (!follow)
                    {
                        HintAtTheRest(page, link, output.Settings);
                    }

                    if (!follow || written >= limit || NextPageUri(pageUri, link) is not { } next)
                    {
                        break;
                    }

                    nextUri = next;
                    if (Window > 1)
                    {
                        plan = ParallelPlan.For(page, pageUri, nextUri, written, limit);
                    }
                }

                if (plan is not null)
                {
                    if (await PrintInParallelAsync(plan, sink, progress, ct).ConfigureAwait(false) is not { } rest)
                    {
                        break;
                    }

                    (pageUri, nextUri) = rest;
                }

                if (!fetched.Add(Fingerprint(nextUri)))
                {
                    throw new CliException($"the response from {pageUri.AbsolutePath} has a 'next' link to a page already fetched, so paging did not advance; stopped after the pages so far");
                }

                pageUri = nextUri;
                page = (await FetchPageAsync(pageUri, ct).ConfigureAwait(false)).Page;
            }

            completed = true;
        }
        finally
        {
            progress.Clear();
            if (completed)
            {
                sink.EndList();
            }
            else
            {
                sink.EndListAfterFailure();
            }

            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Prints the planned pages, fetching up to <see cref="Window"/> ahead. Returns the last printed page and its
    /// <c>next</c> when paging must go on one page at a time (the list grew or changed), or null when it is done.
    /// </summary>
    private async Task<(Uri PageUri, Uri NextUri)?> PrintInParallelAsync(ParallelPlan plan, ItemSink sink, ProgressReporter progress, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var underWay = new Queue<(int Number, Uri Uri, Task<FetchedPage> Fetch)>();
        var launch = plan.First;
        try
        {
            while (true)
            {
                while (underWay.Count < Window && launch <= plan.Last)
                {
                    var uri = plan.UriOf(launch);
                    underWay.Enqueue((launch, uri, FetchPageAsync(uri, stop.Token)));
                    launch++;
                }

                var (number, pageUri, fetch) = underWay.Dequeue();
                var result = await fetch.ConfigureAwait(false);
                if (result.RateLimited)
                {
                    Window = 1;
                }

                // Remembered once printed: a page fetched ahead and dropped was never part of the list.
                fetched.Add(Fingerprint(pageUri));
                using var page = result.Page;
                var link = await PrintPageAsync(page, pageUri, sink, progress, ct).ConfigureAwait(false);
                if (written >= limit || NextPageUri(pageUri, link) is not { } next)
                {
                    return null;
                }

                if (number == plan.Last || next.AbsoluteUri != plan.UriOf(number + 1).AbsoluteUri)
                {
                    return (pageUri, next);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var (_, _, fetch) in underWay)
            {
                try
                {
                    (await fetch.ConfigureAwait(false)).Page.Dispose();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A page fetched ahead and no longer wanted: its failure is not the command's.
                }
            }
        }
    }

    /// <summary>Writes one page's values (up to the limit); returns how the list continues.</summary>
    private async Task<PageLink> PrintPageAsync(PageResult page, Uri pageUri, ItemSink sink, ProgressReporter progress, CancellationToken ct)
    {
        // The progress line and the items may share one terminal: clear it before printing.
        progress.Clear();
        if (!page.IsPaginated)
        {
            throw new CliException($"the response from {pageUri.AbsolutePath} is not a paginated list (no 'values')");
        }

        foreach (var item in page.Values)
        {
            if (written >= limit)
            {
                break;
            }

            sink.WriteItem(item);
            written++;
        }

        sink.EndPage();
        await io.Out.FlushAsync(ct).ConfigureAwait(false);
        progress.PageFetched(page.Values.Count);
        return new PageLink(page.Paging, page.Next, page.IsLastPage, page.NextPageStart, page.Size);
    }

    /// <summary>A table that shows one page of several says on stderr how to get the rest (gh does the same).</summary>
    private void HintAtTheRest(PageResult page, PageLink link, OutputSettings settings)
    {
        var more = link.Paging == PagingStyle.NextLink ? link.Next is not null : link.IsLastPage == false || (link.IsLastPage is null && link.NextPageStart is not null);
        if (settings.Format != OutputFormat.Table || settings.Slurp || !more)
        {
            return;
        }

        var shown = Math.Min(written, page.Values.Count);
        io.Error.WriteLine(link.Paging == PagingStyle.NextLink && link.Size is { } size && size > shown
            ? string.Create(CultureInfo.InvariantCulture, $"bb: showing {shown} of {size}; --paginate for all")
            : string.Create(CultureInfo.InvariantCulture, $"bb: showing the first {shown}; --paginate for all"));
        io.Error.Flush();
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

    /// <summary>Fetches and parses one page; whether some attempt was answered 429 is read from the request afterwards.</summary>
    private async Task<FetchedPage> FetchPageAsync(Uri pageUri, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUri);
        using var response = await HttpBodies.LabelFailuresAsync(pageUri, () => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await HttpBodies.ApiErrorAsync(response, ct).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var page = await PageReader.ReadPageAsync(body, ct).ConfigureAwait(false);
        return new FetchedPage(page, RateLimitSeenHandler.WasRateLimited(request));
    }

    /// <summary>One fetched, parsed page; <see cref="RateLimited"/>: an attempt was answered 429 (and retried).</summary>
    private readonly record struct FetchedPage(PageResult Page, bool RateLimited);
}

/// <summary>How a printed page says the list continues (its document is gone by the time the next URL is made).</summary>
internal readonly record struct PageLink(PagingStyle Paging, string? Next, bool? IsLastPage, long? NextPageStart, int? Size = null);

/// <summary>
/// The Cloud pages after the current one when they are known in advance: the page reports <c>size</c> and
/// <c>pagelen</c>, and its <c>next</c> is its own URL (same origin, path and decoded query) with only a
/// numeric <c>page</c> changed to the next number. Page N's URL is then <c>next</c> with N in place of its
/// page number, every other byte as the server wrote it.
/// </summary>
internal sealed class ParallelPlan
{
    private readonly string prefix;
    private readonly string suffix;

    private ParallelPlan(string prefix, string suffix, int first, int last)
    {
        this.prefix = prefix;
        this.suffix = suffix;
        First = first;
        Last = last;
    }

    /// <summary>The page <c>next</c> names.</summary>
    public int First { get; }

    /// <summary>The last page wanted: the list's last, or the one that reaches <c>--limit</c>.</summary>
    public int Last { get; }

    public Uri UriOf(int page) => new(prefix + page.ToString(CultureInfo.InvariantCulture) + suffix);

    /// <summary>The plan after <paramref name="page"/>, or null when the pages must be followed one by one (or only one is left).</summary>
    /// <param name="written">Items printed so far.</param>
    public static ParallelPlan? For(PageResult page, Uri pageUri, Uri nextUri, long written, long limit)
    {
        if (page.Paging != PagingStyle.NextLink || page.Size is not { } size || page.PageLength is not { } length || length <= 0
            || !string.Equals(pageUri.Scheme, nextUri.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(pageUri.Authority, nextUri.Authority, StringComparison.OrdinalIgnoreCase)
            || pageUri.AbsolutePath != nextUri.AbsolutePath
            || nextUri.Fragment.Length > 0)
        {
            return null;
        }

        var currentPairs = Pairs(pageUri);
        var nextPairs = Pairs(nextUri);
        var currentPage = PageNumber(currentPairs, out _);
        if (PageNumber(nextPairs, out var index) is not { } nextPage || index < 0 || currentPage == -1)
        {
            return null;
        }

        var current = page.Page ?? currentPage ?? 1;
        if (nextPage != (long)current + 1 || !SameOtherParameters(currentPairs, nextPairs))
        {
            return null;
        }

        var after = Math.Min(size - ((long)current * length), limit - written);
        var last = Math.Min(current + ((after + length - 1) / length), int.MaxValue);
        if (after <= 0 || last <= nextPage)
        {
            return null;
        }

        var left = nextUri.GetLeftPart(UriPartial.Path) + "?";
        var prefix = left + string.Concat(nextPairs.Take(index).Select(p => p + "&")) + "page=";
        var suffix = string.Concat(nextPairs.Skip(index + 1).Select(p => "&" + p));
        var plan = new ParallelPlan(prefix, suffix, (int)nextPage, (int)last);
        return plan.UriOf(plan.First).AbsoluteUri == nextUri.AbsoluteUri ? plan : null;
    }

    private static List<string> Pairs(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        return query.Length == 0 ? [] : [.. query.Split('&')];
    }

    /// <summary>The value of the one <c>page</c> parameter: null when absent, -1 when repeated or not a plain number.</summary>
    private static long? PageNumber(List<string> pairs, out int index)
    {
        index = -1;
        long? number = null;
        for (var i = 0; i < pairs.Count; i++)
        {
            var (name, value) = Decode(pairs[i]);
            if (name != "page")
            {
                continue;
            }

            if (index >= 0 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > int.MaxValue)
            {
                index = -1;
                return -1;
            }

            (index, number) = (i, n);
        }

        return number;
    }

    private static bool SameOtherParameters(List<string> current, List<string> next)
    {
        static List<(string, string)> Others(List<string> pairs) =>
            [.. pairs.Select(Decode).Where(p => p.Name != "page").OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)];

        return Others(current).SequenceEqual(Others(next));
    }

    private static (string Name, string Value) Decode(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? pair : pair[..equals];
        var value = equals < 0 ? "" : pair[(equals + 1)..];
        return (Unescape(name), Unescape(value));
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
