using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Bitbucket.Cli.Core.Http;
using Polly.Timeout;

namespace Bitbucket.Cli.Core.Proxy;

/// <summary>
/// The HTTP/1.1 server behind <c>bb proxy</c>: a socket loop on 127.0.0.1 (no HttpListener, whose
/// prefix matching answers foreign hosts with its own 404 page; no ASP.NET, which is not in the tool).
/// Each request that carries the run's secret is sent through <paramref name="upstream"/> — the
/// session's authenticated client, so the stored login's scheme is applied and OAuth 1.0a signs every
/// request — to the API URL, with bodies streamed both ways and hop-by-hop headers dropped.
/// </summary>
/// <param name="upstream">The session's client; its base address is the API URL (with any context path).</param>
/// <param name="secret">The per-run secret: the <see cref="SecretHeader"/> header or the first path segment.</param>
/// <param name="log">Receives one line per request: method, path (query redacted), status, milliseconds.</param>
internal sealed class ProxyServer(HttpClient upstream, string secret, TextWriter log, TimeProvider time)
{
    public const string SecretHeader = "X-BB-Proxy-Secret";

    private const int MaxHeadLine = 16 * 1024;
    private const int MaxHeadBytes = 64 * 1024;
    private const int CopyBufferSize = 64 * 1024;

    // RFC 9110 §7.6.1 and the de-facto ones; plus what the proxy itself decides (framing, Host, auth).
    private static readonly HashSet<string> NotForwardedRequest = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect", "Authorization", "Accept-Encoding", SecretHeader,
    };

    private static readonly HashSet<string> NotForwardedResponse = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Content-Length",
    };

    private readonly Uri apiBase = upstream.BaseAddress ?? throw new ArgumentException("the upstream client needs a base address", nameof(upstream));
    private readonly byte[] secretBytes = Encoding.UTF8.GetBytes(secret);
    private readonly Lock logLock = new();
    private int ownPort;

    /// <summary><c>scheme://host:port</c> of the API: the only origin requests go to.</summary>
    public string ApiOrigin => HttpPipeline.OriginOf(apiBase);

    /// <summary>Serves until <paramref name="ct"/> is cancelled, then closes every connection and returns.</summary>
    public async Task RunAsync(TcpListener listener, CancellationToken ct)
    {
        ownPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = new HashSet<Task>();
        var guard = new Lock();
        using var stop = ct.Register(listener.Stop);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    break;
                }

                var task = Task.Run(() => ServeConnectionAsync(socket, ct), CancellationToken.None);
                lock (guard)
                {
                    connections.Add(task);
                }

                _ = task.ContinueWith(
                    t =>
                    {
                        lock (guard)
                        {
                            connections.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        finally
        {
            listener.Stop();
            Task[] open;
            lock (guard)
            {
                open = [.. connections];
            }

            // Every connection watches ct; each ends promptly once it is cancelled.
            await Task.WhenAll(open).ConfigureAwait(false);
        }
    }

    private async Task ServeConnectionAsync(Socket socket, CancellationToken ct)
    {
        try
        {
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            using var closeOnStop = ct.Register(socket.Dispose);
            var input = new ConnectionInput(stream);
            while (!ct.IsCancellationRequested && await ServeOneAsync(input, stream, ct).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the proxy is stopping: nothing to answer.
        }
        catch (Exception e)
        {
            // One connection's surprise must not end the proxy (or fail its shutdown).
            Log("a connection ended: " + FailureReporter.Describe(e).Message);
        }
    }

    /// <summary>Reads one request, answers it; true when the connection can carry another.</summary>
    private async Task<bool> ServeOneAsync(ConnectionInput input, Stream output, CancellationToken ct)
    {
        RequestHead? head;
        try
        {
            head = await RequestHead.ReadAsync(input, MaxHeadLine, MaxHeadBytes, ct).ConfigureAwait(false);
        }
        catch (ProxyRefusal refusal)
        {
            await WriteErrorAsync(output, refusal.Status, refusal.Message, keepAlive: false, ct).ConfigureAwait(false);
            return false;
        }

        if (head is null)
        {
            return false;
        }

        var started = time.GetTimestamp();
        var logPath = "-"; // until the request is authorized: its path may hold a mistyped secret
        int status;
        var keepAlive = head.KeepAlive;
        ReadOnlyBodyStream? body = null;
        try
        {
            body = head.Body(input);
            var path = Authorize(head);
            logPath = Redact(path);
            if (head.ExpectsContinue && body is not null)
            {
                await output.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            }

            (status, keepAlive) = await ForwardAsync(head, path, body, output, keepAlive, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            // The response had begun (or the client left): the only honest signal left is closing the connection.
            Log($"{head.Method} {logPath} broke off after {Elapsed(started)} ms");
            return false;
        }
        catch (ProxyRefusal refusal)
        {
            status = refusal.Status;
            keepAlive = false; // the body (if any) was not read
            await WriteErrorAsync(output, status, refusal.Message, keepAlive, ct).ConfigureAwait(false);
        }

        Log($"{head.Method} {logPath} {status} {Elapsed(started)} ms");
        return keepAlive && (body is null || body.Completed);
    }

    private string Elapsed(long started) => time.GetElapsedTime(started).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The path and query to forward (the secret segment removed), or a refusal.</summary>
    private string Authorize(RequestHead head)
    {
        if (head.Method == "CONNECT")
        {
            throw new ProxyRefusal(403, $"this proxy forwards only to {ApiOrigin} and opens no CONNECT tunnels");
        }

        var target = head.Target;
        if (!target.StartsWith('/'))
        {
            // Absolute form (RFC 9112 §3.2.2): allowed only when it names this proxy itself.
            if (!Uri.TryCreate(target, UriKind.Absolute, out var absolute) || (absolute.Scheme != Uri.UriSchemeHttp && absolute.Scheme != Uri.UriSchemeHttps))
            {
                throw new ProxyRefusal(400, "the request target is neither a path nor an http(s) URL");
            }

            if (!absolute.IsLoopback || absolute.Port != ownPort)
            {
                throw new ProxyRefusal(403, $"this proxy forwards only to {ApiOrigin} (as paths under its own URL); refusing a request for {HttpPipeline.OriginOf(absolute)}");
            }

            target = absolute.PathAndQuery;
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        var rest = query < 0 ? "" : target[query..];
        var secondSlash = path.IndexOf('/', 1);
        var first = secondSlash < 0 ? path[1..] : path[1..secondSlash];
        if (Matches(first))
        {
            path = secondSlash < 0 ? "/" : path[secondSlash..];
        }
        else if (head.Header(SecretHeader) is not { } given || !Matches(given))
        {
            throw new ProxyRefusal(403, $"missing or wrong proxy secret: send the {SecretHeader} header or start the path with the secret bb proxy printed");
        }

        return path + rest;
    }

    private bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), secretBytes);

    private async Task<(int Status, bool KeepAlive)> ForwardAsync(RequestHead head, string pathAndQuery, ReadOnlyBodyStream? body, Stream output, bool keepAlive, CancellationToken ct)
    {
        if (!Uri.TryCreate(apiBase.AbsoluteUri.TrimEnd('/') + pathAndQuery, UriKind.Absolute, out var target))
        {
            throw new ProxyRefusal(400, "the request path is not a valid URL path");
        }

        using var request = new HttpRequestMessage(new HttpMethod(head.Method), target);
        if (body is not null)
        {
            request.Content = new StreamContent(body, CopyBufferSize);
            if (head.ContentLength is { } length)
            {
                request.Content.Headers.ContentLength = length;
            }
        }

        CopyRequestHeaders(head, request);

        HttpResponseMessage response;
        try
        {
            response = await HttpBodies.LabelFailuresAsync(
                apiBase, () => upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not ProxyRefusal)
        {
            var (message, _) = FailureReporter.Describe(e);
            var status = e is TimeoutRejectedException ? 504 : 502;
            throw new ProxyRefusal(status, e is InvalidOperationException || e.InnerException is InvalidOperationException ? "the API asked for the request again and its streamed body cannot be sent twice" : message);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var noBody = head.Method == "HEAD" || status is < 200 or 204 or 304;
            var length = response.Content.Headers.ContentLength;
            var chunked = !noBody && length is null && head.Version == HttpVersion.Version11;
            keepAlive &= noBody || length is not null || chunked;

            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Clean(response.ReasonPhrase) ?? "Status"}\r\n");
            var dropped = ConnectionNamed(response.Headers.NonValidated);
            AppendHeaders(text, response.Headers.NonValidated, dropped);
            AppendHeaders(text, response.Content.Headers.NonValidated, dropped);
            if (length is { } n && (!noBody || head.Method == "HEAD"))
            {
                text.Append(CultureInfo.InvariantCulture, $"Content-Length: {n}\r\n");
            }
            else if (chunked)
            {
                text.Append("Transfer-Encoding: chunked\r\n");
            }

            if (!keepAlive)
            {
                text.Append("Connection: close\r\n");
            }

            text.Append("\r\n");
            await output.WriteAsync(Encoding.Latin1.GetBytes(text.ToString()), ct).ConfigureAwait(false);
            if (!noBody)
            {
                await CopyBodyAsync(response.Content, output, chunked, ct).ConfigureAwait(false);
            }

            await output.FlushAsync(ct).ConfigureAwait(false);
            return (status, keepAlive);
        }
    }

    private static void CopyRequestHeaders(RequestHead head, HttpRequestMessage request)
    {
        var dropped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in head.Headers.Where(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value))
        {
            foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                dropped.Add(name);
            }
        }

        foreach (var (name, value) in head.Headers)
        {
            if (NotForwardedRequest.Contains(name) || dropped.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static async Task CopyBodyAsync(HttpContent content, Stream output, bool chunked, CancellationToken ct)
    {
        await using var source = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[CopyBufferSize];
        int read;
        while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (chunked)
            {
                await output.WriteAsync(Encoding.ASCII.GetBytes(read.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), ct).ConfigureAwait(false);
                await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                await output.WriteAsync("\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }
        }

        if (chunked)
        {
            await output.WriteAsync("0\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        }
    }

    private static HashSet<string> ConnectionNamed(HttpHeadersNonValidated headers)
    {
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (headers.TryGetValues("Connection", out var values))
        {
            foreach (var value in values)
            {
                foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    named.Add(name);
                }
            }
        }

        return named;
    }

    private static void AppendHeaders(StringBuilder text, HttpHeadersNonValidated headers, HashSet<string> dropped)
    {
        foreach (var (name, values) in headers)
        {
            if (NotForwardedResponse.Contains(name) || dropped.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (Clean(value) is { } clean)
                {
                    text.Append(name).Append(": ").Append(clean).Append("\r\n");
                }
            }
        }
    }

    /// <summary>Null for a value that could break the response framing.</summary>
    private static string? Clean(string? value) => value is null || value.AsSpan().IndexOfAny('\r', '\n') >= 0 ? null : value;

    private static async Task WriteErrorAsync(Stream output, int status, string message, bool keepAlive, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes("bb proxy: " + message + "\n");
        var head = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\n"
            + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        try
        {
            await output.WriteAsync(Encoding.ASCII.GetBytes(head), ct).ConfigureAwait(false);
            await output.WriteAsync(body, ct).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client did not wait for the answer.
        }
    }

    private static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };

    /// <summary>The path as logged: the query's values can be private, so only its presence shows.</summary>
    private static string Redact(string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? pathAndQuery : pathAndQuery[..query] + "?…";
    }

    private void Log(string line)
    {
        lock (logLock)
        {
            log.WriteLine("bb proxy: " + line);
            log.Flush();
        }
    }
}

/// <summary>A parsed request line and header section (RFC 9112 §2–§6).</summary>
internal sealed class RequestHead
{
    private RequestHead(string method, string target, Version version, List<KeyValuePair<string, string>> headers)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    public Version Version { get; }

    public List<KeyValuePair<string, string>> Headers { get; }

    public long? ContentLength { get; private set; }

    private bool Chunked { get; set; }

    public bool ExpectsContinue => Header("Expect") is { } expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase);

    /// <summary>HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it.</summary>
    public bool KeepAlive
    {
        get
        {
            var tokens = Headers.Where(h => h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                .SelectMany(h => h.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToList();
            return Version == HttpVersion.Version11
                ? !tokens.Contains("close", StringComparer.OrdinalIgnoreCase)
                : tokens.Contains("keep-alive", StringComparer.OrdinalIgnoreCase);
        }
    }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The body reader the framing asks for, or null when the request has no body.</summary>
    public ReadOnlyBodyStream? Body(ConnectionInput input) =>
        Chunked ? new ChunkedBodyStream(input)
        : ContentLength is > 0 ? new LengthBodyStream(input, ContentLength.Value)
        : null;

    /// <summary>The next request on the connection; null when the client closed it cleanly.</summary>
    public static async Task<RequestHead?> ReadAsync(ConnectionInput input, int maxLine, int maxBytes, CancellationToken ct)
    {
        string? requestLine;
        do
        {
            // RFC 9112 §2.2: ignore empty lines before the request line.
            requestLine = await input.ReadLineAsync(maxLine, ct).ConfigureAwait(false);
            if (requestLine is null)
            {
                return null;
            }
        }
        while (requestLine.Length == 0);

        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !parts[0].All(IsTokenChar))
        {
            throw new ProxyRefusal(400, "malformed request line");
        }

        var version = parts[2] switch
        {
            "HTTP/1.1" => HttpVersion.Version11,
            "HTTP/1.0" => HttpVersion.Version10,
            _ => throw new ProxyRefusal(505, "only HTTP/1.0 and HTTP/1.1 are served"),
        };

        var headers = new List<KeyValuePair<string, string>>();
        var total = requestLine.Length;
        while (true)
        {
            var line = await input.ReadLineAsync(maxLine, ct).ConfigureAwait(false) ?? throw new ProxyRefusal(400, "the request ended inside its header section");
            if (line.Length == 0)
            {
                break;
            }

            total += line.Length;
            if (total > maxBytes)
            {
                throw new ProxyRefusal(431, "the request head is too large");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.AsSpan(0, colon).ToString().All(IsTokenChar))
            {
                throw new ProxyRefusal(400, "malformed header line");
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var head = new RequestHead(parts[0], parts[1], version, headers);
        head.SetFraming();
        return head;
    }

    /// <summary>RFC 9112 §6.3: chunked wins over Content-Length; any other transfer coding, or conflicting lengths, is refused.</summary>
    private void SetFraming()
    {
        var codings = Headers.Where(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (codings.Count > 0)
        {
            if (codings.Count != 1 || !codings[0].Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new ProxyRefusal(501, "only the chunked transfer coding is accepted");
            }

            Chunked = true;
            return;
        }

        var lengths = Headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (lengths.Count == 0)
        {
            return;
        }

        if (lengths.Count > 1 || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new ProxyRefusal(400, "invalid Content-Length");
        }

        ContentLength = length;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
