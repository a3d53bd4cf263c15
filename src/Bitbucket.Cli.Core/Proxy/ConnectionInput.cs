using System.Text;

namespace Bitbucket.Cli.Core.Proxy;

/// <summary>A request the proxy refuses before forwarding it: the status and a one-line reason for the client.</summary>
internal sealed class ProxyRefusal(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The client side of one connection, read through a small buffer: lines for the request head and
/// chunk sizes, raw bytes for bodies. What the head did not use stays buffered for the body.
/// </summary>
internal sealed class ConnectionInput(Stream stream)
{
    private readonly byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        if (start == end)
        {
            if (destination.Length >= buffer.Length)
            {
                return await stream.ReadAsync(destination, ct).ConfigureAwait(false);
            }

            start = 0;
            end = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (end == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(destination.Length, end - start);
        buffer.AsMemory(start, count).CopyTo(destination);
        start += count;
        return count;
    }

    /// <summary>One line without its CRLF (or bare LF), as Latin-1; null when the stream ends before any byte of it.</summary>
    /// <exception cref="ProxyRefusal">The line is longer than <paramref name="maxLength"/>, or the stream ends inside it.</exception>
    public async ValueTask<string?> ReadLineAsync(int maxLength, CancellationToken ct)
    {
        var line = new StringBuilder();
        var any = false;
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (end == 0)
                {
                    return any ? throw new ProxyRefusal(400, "the request ended in the middle of a line") : null;
                }
            }

            any = true;
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = newline < 0 ? end : newline;
            line.Append(Encoding.Latin1.GetString(buffer, start, stop - start));
            if (line.Length > maxLength)
            {
                throw new ProxyRefusal(431, "the request head is too large");
            }

            if (newline < 0)
            {
                start = end;
                continue;
            }

            start = newline + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            return line.ToString();
        }
    }
}

/// <summary>A request body of known length (Content-Length): reads exactly that many bytes.</summary>
internal sealed class LengthBodyStream(ConnectionInput input, long length) : ReadOnlyBodyStream
{
    private long remaining = length;

    public override bool Completed => remaining == 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await input.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("the client closed the connection before the request body was complete");
        }

        remaining -= read;
        return read;
    }
}

/// <summary>A <c>Transfer-Encoding: chunked</c> request body (RFC 9112 §7.1), decoded; trailers are read and dropped.</summary>
internal sealed class ChunkedBodyStream(ConnectionInput input) : ReadOnlyBodyStream
{
    private const int MaxLine = 8 * 1024;
    private long remaining;
    private bool done;

    public override bool Completed => done;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (done || buffer.IsEmpty)
        {
            return 0;
        }

        if (remaining == 0)
        {
            var sizeLine = await input.ReadLineAsync(MaxLine, cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the client closed the connection inside a chunked request body");
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            var hex = (semicolon < 0 ? sizeLine : sizeLine[..semicolon]).Trim();
            if (hex.Length == 0 || hex.Length > 15 || !long.TryParse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out remaining))
            {
                throw new IOException("the chunked request body has an invalid chunk size");
            }

            if (remaining == 0)
            {
                // Trailer fields, up to the empty line.
                while (await input.ReadLineAsync(MaxLine, cancellationToken).ConfigureAwait(false) is { Length: > 0 })
                {
                }

                done = true;
                return 0;
            }
        }

        var read = await input.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("the client closed the connection inside a chunked request body");
        }

        remaining -= read;
        if (remaining == 0 && await input.ReadLineAsync(MaxLine, cancellationToken).ConfigureAwait(false) is not { Length: 0 })
        {
            throw new IOException("a chunk of the request body does not end with CRLF");
        }

        return read;
    }
}

/// <summary>A forward-only, read-only stream over part of a connection.</summary>
internal abstract class ReadOnlyBodyStream : Http.ReadOnlyStream
{
    /// <summary>The whole body has been read: the connection can carry the next request.</summary>
    public abstract bool Completed { get; }
}
