using System.IO.Compression;
using System.Net;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// bb's own response decompression (gzip, deflate, br) in place of the socket handler's, with two
/// limits a decompression bomb hits: the size a body may expand to, and how many times larger than
/// what came over the wire it may grow. Either ends the command with one line naming the origin.
/// </summary>
internal sealed class DecompressionHandler : DelegatingHandler
{
    /// <summary>The most a compressed body may expand to.</summary>
    internal const long MaxDecompressedBytes = 1L << 30;

    /// <summary>The largest expansion allowed (output bytes per compressed byte), checked past <see cref="RatioGrace"/>.</summary>
    internal const int MaxRatio = 100;

    /// <summary>Small bodies may compress well (a page of repeated fields); the ratio only counts past this much output.</summary>
    internal const long RatioGrace = 8L << 20;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains("Accept-Encoding"))
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var encodings = response.Content.Headers.ContentEncoding;
        if (encodings.Count == 1 && Decoder(encodings.First()) is { } decoder)
        {
            var origin = (response.RequestMessage?.RequestUri ?? request.RequestUri)?.GetLeftPart(UriPartial.Authority) ?? "the server";
            response.Content = new DecompressedContent(response.Content, decoder, origin);
        }

        return response;
    }

    private static Func<Stream, Stream>? Decoder(string encoding) => encoding.Trim().ToLowerInvariant() switch
    {
        "gzip" or "x-gzip" => static s => new GZipStream(s, CompressionMode.Decompress),
        "deflate" => static s => new ZLibStream(s, CompressionMode.Decompress),
        "br" => static s => new BrotliStream(s, CompressionMode.Decompress),
        _ => null,
    };

    /// <summary>The decoded body; its headers are the original's without Content-Encoding and Content-Length.</summary>
    private sealed class DecompressedContent(HttpContent inner, Func<Stream, Stream> decoder, string origin)
        : WrappedContent(inner, header => !string.Equals(header, "Content-Encoding", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(header, "Content-Length", StringComparison.OrdinalIgnoreCase))
    {
        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        {
            var raw = new CountingStream(await Inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            return new CappedStream(decoder(raw), raw, origin);
        }
    }

    /// <summary>Counts the compressed bytes read from the wire.</summary>
    private sealed class CountingStream(Stream inner) : ReadOnlyStream
    {
        public long Total { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Total += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Total += read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The decoder's output, stopped at the size and ratio caps.</summary>
    private sealed class CappedStream(Stream decoded, CountingStream raw, string origin) : ReadOnlyStream
    {
        private long total;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await decoded.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override int Read(Span<byte> buffer) => Count(decoded.Read(buffer));

        private int Count(int read)
        {
            total += read;
            if (total > MaxDecompressedBytes)
            {
                throw new CliException($"the response from {origin} expands to more than {MaxDecompressedBytes >> 30} GiB when decompressed; bb stops there");
            }

            if (total > RatioGrace && total > raw.Total * MaxRatio)
            {
                throw new CliException($"the response from {origin} expands more than {MaxRatio}-fold when decompressed (a decompression bomb?); bb stops there");
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                decoded.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
