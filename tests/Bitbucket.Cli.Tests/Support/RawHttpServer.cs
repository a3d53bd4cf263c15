using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>A request exactly as it arrived on the wire.</summary>
public sealed record RawRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string RequestLine => $"{Method} {Target}";

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A loopback HTTP/1.1 server that hands the raw connection to the test: it records every request
/// exactly as sent (request line, headers, body) and lets the test answer with arbitrary bytes —
/// well-formed, truncated, slow, or a reset.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawRequest, NetworkStream, Socket, Task> respond;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RawHttpServer(Func<RawRequest, NetworkStream, Socket, Task> respond)
    {
        this.respond = respond;
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public ConcurrentQueue<RawRequest> Requests { get; } = new();

    public string Origin => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>A server that answers every request with the same status, headers and body.</summary>
    public static RawHttpServer Answering(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        new((_, stream, _) => WriteResponseAsync(stream, status, body, contentType, headers));

    public static async Task WriteResponseAsync(Stream stream, int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} {ReasonFor(status)}\r\n");
        if (contentType.Length > 0)
        {
            head.Append($"Content-Type: {contentType}\r\n");
        }

        foreach (var (name, value) in headers)
        {
            head.Append($"{name}: {value}\r\n");
        }

        head.Append($"Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var request = await ReadRequestAsync(stream);
            if (request is null)
            {
                return;
            }

            Requests.Enqueue(request);
            await respond(request, stream, socket);
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private static async Task<RawRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
        }

        var lines = Encoding.UTF8.GetString([.. buffer]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = Array.Empty<byte>();
        if (headers.TryGetValue("Content-Length", out var length) && int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var n)
        {
            body = new byte[n];
            await stream.ReadExactlyAsync(body);
        }

        return new RawRequest(first[0], first[1], headers, body);
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';

    private static string ReasonFor(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
