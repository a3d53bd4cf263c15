using System.Net;
using System.Net.Http.Headers;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// The innermost handler: prints each attempt for <c>--verbose</c> (request line, headers with the
/// Authorization header redacted, status and timing) and, for <c>--dry-run</c>, prints the request
/// and answers it itself so nothing is sent.
/// </summary>
internal sealed class TraceHandler(ConsoleIO io, bool verbose, bool dryRun, TimeProvider time) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<bool> DryRunKey = new("bb.dry-run");

    private const int MaxBodyEcho = 4096;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (verbose || dryRun)
        {
            await WriteRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (dryRun)
        {
            request.Options.Set(DryRunKey, true);
            return new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request };
        }

        var started = time.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (verbose)
        {
            var elapsed = time.GetElapsedTime(started);
            // The reason phrase and header values are the server's: on a terminal, stripped of escapes.
            io.Error.WriteLine($"< HTTP/{response.Version} {(int)response.StatusCode} {OneLine.ForTerminal(response.ReasonPhrase, io.StderrIsTty)} ({elapsed.TotalMilliseconds:0} ms)");
            WriteHeaders("< ", response.Headers, response.Content.Headers);
            io.Error.WriteLine("<");
        }

        return response;
    }

    private async Task WriteRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        io.Error.WriteLine($"> {request.Method} {uri.PathAndQuery} HTTP/{request.Version}");
        io.Error.WriteLine($"> Host: {uri.Authority}");
        WriteHeaders("> ", request.Headers, request.Content?.Headers);
        io.Error.WriteLine(">");
        if (request.Content is not null && IsText(request.Content.Headers.ContentType))
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            io.Error.WriteLine(body.Length > MaxBodyEcho ? body[..MaxBodyEcho] + "…" : body);
        }
    }

    private void WriteHeaders(string prefix, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        foreach (var header in contentHeaders is null ? headers : headers.Concat(contentHeaders))
        {
            var value = string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                ? RedactAuthorization(string.Join(", ", header.Value))
                : string.Join(", ", header.Value);
            io.Error.WriteLine($"{prefix}{OneLine.ForTerminal(header.Key, io.StderrIsTty)}: {OneLine.ForTerminal(value, io.StderrIsTty)}");
        }
    }

    private static string RedactAuthorization(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? Redaction.Mask : Redaction.AuthorizationHeader(value[..space], value[(space + 1)..]);
    }

    private static bool IsText(MediaTypeHeaderValue? type) => type?.MediaType is { } m
        && (m.StartsWith("text/", StringComparison.Ordinal) || m.Contains("json", StringComparison.Ordinal)
            || m == "application/x-www-form-urlencoded");
}
