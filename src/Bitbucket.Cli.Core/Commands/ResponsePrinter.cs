using System.Net;
using System.Net.Http.Headers;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// Prints one API response: the status and headers (<c>--include</c>), then the body — passed
/// through, formatted, or streamed page by page — or throws the <see cref="CliException"/> an
/// error response means.
/// </summary>
internal sealed class ResponsePrinter(ConsoleIO io)
{
    /// <param name="http">The session's client, for the next pages.</param>
    /// <param name="paginated">The response is a page of a list (<c>values</c>, <c>next</c>).</param>
    public Task<int> PrintAsync(HttpClient http, HttpResponseMessage response, bool paginated, CommonOptions common, OutputSettings settings, CancellationToken ct)
    {
        // After redirects the body may come from another origin than the API's: failures name that one.
        var origin = response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } uri ? uri : http.BaseAddress!;
        return HttpBodies.LabelFailuresAsync(origin, () => PrintBodyAsync(http, response, paginated, common, settings, ct));
    }

    private async Task<int> PrintBodyAsync(HttpClient http, HttpResponseMessage response, bool paginated, CommonOptions common, OutputSettings settings, CancellationToken ct)
    {
        if (response.RequestMessage?.Options.TryGetValue(TraceHandler.DryRunKey, out var dryRun) == true && dryRun)
        {
            return ExitCodes.Ok;
        }

        if (common.Include)
        {
            WriteHead(response);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await HttpBodies.ApiErrorAsync(response, ct).ConfigureAwait(false);
        }

        if (response.Content.Headers.ContentLength == 0 || response.StatusCode == HttpStatusCode.NoContent || response.RequestMessage?.Method == HttpMethod.Head)
        {
            return ExitCodes.Ok;
        }

        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var follow = Follows(common);
        if (!IsJson(response.Content.Headers.ContentType))
        {
            // Diffs, logs, patches: printed exactly as received, streamed.
            await body.CopyToAsync(io.OutStream, ct).ConfigureAwait(false);
            await io.OutStream.FlushAsync(ct).ConfigureAwait(false);
        }
        else if (paginated && (follow || settings.Jsonl || settings.Format == OutputFormat.Table))
        {
            var pages = new Paginator(io, http, follow, Paginator.ParseLimit(common.Limit), Paginator.ParseWindow(common.Parallel));
            await pages.PrintAsync(body, response.RequestMessage!.RequestUri!, new OutputWriter(settings with { Slurp = common.Slurp }, io.Out), ct).ConfigureAwait(false);
        }
        else
        {
            await PrintValueAsync(body, settings, ct).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>One JSON value: piped with nothing to change, its bytes pass through (memory stays flat whatever the size).</summary>
    private async Task PrintValueAsync(Stream body, OutputSettings settings, CancellationToken ct)
    {
        if (!settings.Pretty && settings.Query is null && !settings.Jsonl && settings.Format == OutputFormat.Json)
        {
            await io.Out.FlushAsync(ct).ConfigureAwait(false);
            await JsonPassThrough.CopyEndingWithNewlineAsync(body, io.OutStream, ct).ConfigureAwait(false);
            return;
        }

        await new OutputWriter(settings, io.Out).WriteValueAsync(body, ct).ConfigureAwait(false);
        await io.Out.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Whether every page is wanted: <c>--paginate</c>, <c>--limit</c> or <c>--slurp</c>.</summary>
    public static bool Follows(CommonOptions common) => common.Paginate || common.Limit is not null || common.Slurp;

    private void WriteHead(HttpResponseMessage response)
    {
        // Server-supplied text outside the body: on a terminal, stripped of escapes and bidi overrides.
        var terminal = io.StdoutIsTty;
        io.Out.WriteLine($"HTTP/{response.Version} {(int)response.StatusCode} {OneLine.ForTerminal(response.ReasonPhrase, terminal)}");
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            io.Out.WriteLine($"{OneLine.ForTerminal(header.Key, terminal)}: {OneLine.ForTerminal(string.Join(", ", header.Value), terminal)}");
        }

        io.Out.WriteLine();
    }

    private static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is not { } media || media.Contains("json", StringComparison.OrdinalIgnoreCase);
}
