using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;
using Cocona.Application;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>A resolved host with the HTTP client that signs for it.</summary>
public sealed class ApiSession(ResolvedHost host, HttpClient http) : IDisposable
{
    public ResolvedHost Host { get; } = host;

    public HttpClient Http { get; } = http;

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// Runs API calls for commands: resolves host and credentials, builds the body, sends through the
/// one HTTP pipeline, then prints — streaming pages, applying --query/--format — or throws a
/// <see cref="CliException"/> that <see cref="ErrorReporter"/> turns into one line and an exit code.
/// </summary>
public sealed class CommandRuntime(ConsoleIO io, ConfigStore store, TimeProvider time, INonceSource nonces, ICoconaAppContextAccessor? context = null)
{
    private const int MaxErrorBody = 256 * 1024;

    /// <summary>JSON bodies up to this size are validated before any of it is printed.</summary>
    private const int HeldBack = 1 << 20;

    public ConsoleIO IO => io;

    public ConfigStore Store => store;

    public TimeProvider Time => time;

    public INonceSource Nonces => nonces;

    private CancellationToken Cancellation => context?.Current?.CancellationToken ?? CancellationToken.None;

    /// <summary>Called by generated commands (through <see cref="ApiInvoker{TApi}"/>).</summary>
    public async Task<int> RunEndpointAsync(
        EndpointInfo endpoint,
        CommonOptions common,
        BodyOptions? body,
        Func<HttpClient, HttpContent?, CancellationToken, Task<HttpResponseMessage>> send)
    {
        var settings = OutputFor(common, endpoint.Columns);
        var fields = BodyBuilder.ParseFields(body?.RawFields, body?.Fields);
        HttpContent? content = null;
        if (endpoint.BodyKind == BodyKind.None)
        {
            if (fields.Count > 0 || body?.Input is not null)
            {
                throw new UsageException($"bb {endpoint.Group} {endpoint.Name} takes no request body");
            }
        }
        else
        {
            content = BodyBuilder.Build(endpoint.BodyKind, fields, body?.Input, io, endpoint.BodyFields);
        }

        using var session = OpenSession(common);
        var ct = Cancellation;
        using var response = await Guard(session.Http.BaseAddress!, () => send(session.Http, content, ct)).ConfigureAwait(false);
        return await Guard(Origin(response, session), () => HandleResponseAsync(session, response, endpoint.Paginated, common, settings, ct)).ConfigureAwait(false);
    }

    /// <summary><c>bb api</c>: any path, gh's semantics.</summary>
    public async Task<int> RunRawAsync(string path, string? method, IReadOnlyList<string> headers, bool form, CommonOptions common, BodyOptions body)
    {
        var settings = OutputFor(common, []);
        var fields = BodyBuilder.ParseFields(body.RawFields, body.Fields);
        var verb = new HttpMethod((method ?? (fields.Count > 0 || body.Input is not null ? "POST" : "GET")).ToUpperInvariant());

        using var session = OpenSession(common);
        var uri = ResolvePath(session.Http.BaseAddress!, path);
        HttpContent? content = null;
        if (verb == HttpMethod.Get || verb == HttpMethod.Head)
        {
            if (body.Input is not null)
            {
                throw new UsageException($"--input needs a method with a body (add -X POST)");
            }

            uri = AppendQuery(uri, BodyBuilder.AsQuery(fields, io));
        }
        else
        {
            content = BodyBuilder.Build(form ? BodyKind.Form : BodyKind.Json, fields, body.Input, io);
        }

        using var request = new HttpRequestMessage(verb, uri) { Content = content };
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UsageException($"header '{header}' is not 'Name: value'");
            }

            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (!request.Headers.TryAddWithoutValidation(name, value) && content is not null)
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var ct = Cancellation;
        using var response = await Guard(session.Http.BaseAddress!, () => session.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
        return await Guard(Origin(response, session), () => HandleResponseAsync(session, response, paginated: common.Paginate || common.Limit is not null, common, settings, ct)).ConfigureAwait(false);
    }

    /// <summary>Resolves host and credentials and builds the signing HTTP client for one command.</summary>
    public ApiSession OpenSession(CommonOptions common)
    {
        var host = CredentialResolver.Resolve(store.Load(), io.Environment, common.Host, common.ApiUrl);
        var baseAddress = new Uri(host.ApiUrl.TrimEnd('/') + "/", UriKind.Absolute);
        var credentials = Credentials(host, baseAddress);
        var timeout = common.Timeout is { } seconds
            ? (seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be a positive number of seconds"))
            : TimeSpan.FromSeconds(100);
        var http = HttpPipeline.Create(
            new HttpPipelineOptions
            {
                BaseAddress = baseAddress,
                Credentials = () => credentials,
                Verbose = common.Verbose || io.Debug,
                DryRun = common.DryRun,
                Timeout = timeout,
            },
            io,
            time,
            nonces);
        return new ApiSession(host, http);
    }

    /// <summary>
    /// The credentials to sign with: consumer and token (three-legged), consumer only (two-legged),
    /// or none (anonymous). PLAINTEXT is refused over plain HTTP except to loopback (RFC 5849 §3.4.4).
    /// </summary>
    public OAuthCredentials? Credentials(ResolvedHost host, Uri apiUrl)
    {
        if (!host.HasConsumer)
        {
            return null;
        }

        if (!SignatureMethods.TryParse(host.SignatureMethod, out var method))
        {
            throw new UsageException($"unknown signature method '{host.SignatureMethod}'; use HMAC-SHA1, HMAC-SHA256, PLAINTEXT or RSA-SHA1");
        }

        RequirePlaintextSafe(method, apiUrl);
        var key = method == SignatureMethod.RsaSha1 ? LoadRsaKey(host.RsaKeyPath) : null;
        return new OAuthCredentials(host.ConsumerKey!, host.ConsumerSecret ?? string.Empty, host.Token, host.TokenSecret, method, key);
    }

    public static void RequirePlaintextSafe(SignatureMethod method, Uri url)
    {
        if (method == SignatureMethod.Plaintext && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            throw new UsageException($"PLAINTEXT signatures send the secrets as they are; refusing to use them over plain http to {url.Host} (use https)");
        }
    }

    public System.Security.Cryptography.RSA LoadRsaKey(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new UsageException("RSA-SHA1 needs a private key: log in again with --rsa-key FILE");
        }

        if (!OperatingSystem.IsWindows() && File.Exists(path)
            && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            io.Error.WriteLine($"bb: warning: the RSA key {path} is readable by other users; run chmod 600 {path}");
        }

        try
        {
            return RsaKeys.LoadPrivateKeyPem(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new UsageException($"cannot use the RSA key {path}: {e.Message}");
        }
    }

    private OutputSettings OutputFor(CommonOptions common, IReadOnlyList<string> columns) =>
        OutputSettings.ForTerminal(io.StdoutIsTty, io.Environment("NO_COLOR"), common.Jsonl, common.Query, common.Format, columns);

    /// <summary>
    /// Labels network failures with the origin they concern, for the one-line message: transport
    /// failures (also when Refit wraps them in its own exception) and a body that breaks off while it
    /// is read.
    /// </summary>
    private static async Task<T> Guard<T>(Uri target, Func<Task<T>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            for (var inner = e; inner is not null; inner = inner.InnerException)
            {
                if (inner is HttpRequestException or IOException or InvalidDataException && inner.Data["bb.target"] is null)
                {
                    inner.Data["bb.target"] = target.GetLeftPart(UriPartial.Authority);
                }
            }

            throw;
        }
    }

    /// <summary>Where a response's body comes from (after redirects, that may not be the API origin).</summary>
    private static Uri Origin(HttpResponseMessage response, ApiSession session) =>
        response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } uri ? uri : session.Http.BaseAddress!;

    private async Task<int> HandleResponseAsync(ApiSession session, HttpResponseMessage response, bool paginated, CommonOptions common, OutputSettings settings, CancellationToken ct)
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
            throw await ApiErrorAsync(response, ct).ConfigureAwait(false);
        }

        if (response.Content.Headers.ContentLength == 0 || response.StatusCode == HttpStatusCode.NoContent || response.RequestMessage?.Method == HttpMethod.Head)
        {
            return ExitCodes.Ok;
        }

        var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        if (!IsJson(response.Content.Headers.ContentType))
        {
            // Diffs, logs, patches: printed exactly as received, streamed.
            await body.CopyToAsync(io.OutStream, ct).ConfigureAwait(false);
            await io.OutStream.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var output = new OutputWriter(settings, io.Out);
        var asList = paginated && (common.Paginate || common.Limit is not null || settings.Jsonl || settings.Format == OutputFormat.Table);
        if (!asList)
        {
            if (!settings.Pretty && settings.Query is null && !settings.Jsonl && settings.Format == OutputFormat.Json)
            {
                // Piped, nothing to change: pass the bytes through, so memory stays flat whatever the size.
                await io.Out.FlushAsync(ct).ConfigureAwait(false);
                await CopyEndingWithNewlineAsync(body, io.OutStream, ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await output.WriteValueAsync(body, ct).ConfigureAwait(false);
            await io.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await PaginateAsync(session, body, response.RequestMessage!.RequestUri!, common, output, ct).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Streams the values of every page to the sink, following <c>next</c> exactly as the server
    /// gave it. One page is held at a time, so memory stays flat however many pages there are.
    /// </summary>
    private async Task PaginateAsync(ApiSession session, Stream firstBody, Uri firstUri, CommonOptions common, OutputWriter output, CancellationToken ct)
    {
        var follow = common.Paginate || common.Limit is not null;
        var limit = common.Limit is { } l ? (l >= 0 ? l : throw new UsageException("--limit must be 0 or more")) : long.MaxValue;
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
                string? next;
                using (var page = await PageReader.ReadPageAsync(body, ct).ConfigureAwait(false))
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
                    next = page.Next;
                }

                if (!follow || written >= limit || next is null)
                {
                    break;
                }

                current?.Dispose();
                // Followed as given, but only to http(s): a server must not send bb to file:, ftp: or nowhere.
                if (!Uri.TryCreate(pageUri, next, out var nextUri) || (nextUri.Scheme != Uri.UriSchemeHttp && nextUri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new CliException($"the response from {pageUri.AbsolutePath} has a 'next' link that is not an http(s) URL; stopped after the pages so far");
                }

                pageUri = nextUri;
                current = await Guard(pageUri, () => session.Http.GetAsync(pageUri, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
                if (!current.IsSuccessStatusCode)
                {
                    throw await ApiErrorAsync(current, ct).ConfigureAwait(false);
                }

                body = await current.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            current?.Dispose();
            progress.Clear();

            // Even when a later page fails, stdout stays one valid JSON array of what was fetched.
            sink.EndList();
            await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies a JSON body as is, ending it with a newline like every other line bb prints. The bytes
    /// are checked as they pass (a captive portal's HTML, a body cut short): the first
    /// <see cref="HeldBack"/> bytes are printed only once they are known to be valid, so an ordinary
    /// response is printed whole or not at all; a larger one streams and fails at its end.
    /// </summary>
    /// <exception cref="JsonException">The body is not one valid JSON value.</exception>
    private static async Task CopyEndingWithNewlineAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[81920];
        var held = new MemoryStream();
        var check = new JsonStreamCheck();
        var last = (byte)'\n';
        var any = false;
        int read;
        while ((read = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            check.Append(buffer.AsSpan(0, read));
            if (held.Length < HeldBack)
            {
                held.Write(buffer, 0, read);
                if (held.Length >= HeldBack)
                {
                    await to.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), ct).ConfigureAwait(false);
                }
            }
            else
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }

            last = buffer[read - 1];
            any = true;
        }

        if (!any)
        {
            return;
        }

        check.Complete();
        if (held.Length < HeldBack)
        {
            await to.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), ct).ConfigureAwait(false);
        }

        if (last != (byte)'\n')
        {
            to.WriteByte((byte)'\n');
        }

        await to.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates JSON fed in pieces, holding only the bytes of an unfinished token between pieces,
    /// so memory stays flat however large the body (<see cref="Utf8JsonReader"/> with carried state).
    /// </summary>
    private sealed class JsonStreamCheck
    {
        private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

        private JsonReaderState state = new(new JsonReaderOptions { MaxDepth = 256 });
        private byte[] pending = new byte[128 * 1024];
        private int pendingLength;
        private bool started;

        public void Append(ReadOnlySpan<byte> data) => Feed(data, final: false);

        /// <summary>The body has ended: it must have been exactly one complete JSON value.</summary>
        public void Complete() => Feed([], final: true);

        private void Feed(ReadOnlySpan<byte> data, bool final)
        {
            // What is not consumed yet: the unfinished token of the last piece, then this piece.
            if (pendingLength + data.Length > pending.Length)
            {
                Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingLength + data.Length));
            }

            data.CopyTo(pending.AsSpan(pendingLength));
            pendingLength += data.Length;
            var input = pending.AsSpan(0, pendingLength);
            if (!started)
            {
                if (!final && input.Length < Utf8Bom.Length && Utf8Bom.StartsWith(input))
                {
                    return; // perhaps the start of a byte order mark
                }

                started = true;
                if (input.StartsWith(Utf8Bom))
                {
                    input = input[Utf8Bom.Length..];
                }
            }

            var reader = new Utf8JsonReader(input, final, state);
            while (reader.Read())
            {
            }

            state = reader.CurrentState;
            var rest = input[(int)reader.BytesConsumed..];
            rest.CopyTo(pending); // overlapping copies are safe with spans
            pendingLength = rest.Length;
        }
    }

    private void WriteHead(HttpResponseMessage response)
    {
        io.Out.WriteLine($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}");
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            io.Out.WriteLine($"{header.Key}: {string.Join(", ", header.Value)}");
        }

        io.Out.WriteLine();
    }

    /// <summary>Reads (a bounded part of) an error response into one line; 401 means log in again.</summary>
    public static async Task<CliException> ApiErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await ReadBoundedAsync(response.Content, MaxErrorBody, ct).ConfigureAwait(false);
        var line = ErrorFormatter.Format((int)response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType?.ToString(), bytes);
        var message = line.StartsWith("bb: ", StringComparison.Ordinal) ? line[4..] : line;
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? new AuthException($"{message}; run bb auth login (or check BB_CONSUMER_KEY/BB_ACCESS_TOKEN)")
            : new CliException(message);
    }

    /// <summary>Reads at most <paramref name="max"/> bytes of a body: a hostile server cannot make bb hold more.</summary>
    internal static async Task<byte[]> ReadBoundedAsync(HttpContent content, int max, CancellationToken ct)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[max];
            var total = 0;
            int read;
            while (total < max && (read = await stream.ReadAsync(buffer.AsMemory(total, max - total), ct).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
        catch (HttpRequestException)
        {
            return []; // the body broke off; the status line still says what happened
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is not { } media || media.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static Uri ResolvePath(Uri baseAddress, string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            return absolute;
        }

        // Paths are absolute from the API origin plus any context path: /2.0/user, /1.0/…
        return new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'));
    }

    private static Uri AppendQuery(Uri uri, IEnumerable<KeyValuePair<string, string>> query)
    {
        var pairs = query.Select(p => OAuthEncoding.PercentEncode(p.Key) + "=" + OAuthEncoding.PercentEncode(p.Value)).ToList();
        if (pairs.Count == 0)
        {
            return uri;
        }

        var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
        return new Uri(uri.AbsoluteUri + separator + string.Join('&', pairs));
    }
}
