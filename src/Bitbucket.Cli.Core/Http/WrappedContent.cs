using System.Net;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// A response body read through another one (<see cref="Inner"/>): it keeps the headers
/// <c>keepHeader</c> accepts and leaves the stream to the subclass. The one base for bb's body wrappers
/// (the deadline, capped decompression), as <see cref="ReadOnlyStream"/> is for their streams.
/// </summary>
internal abstract class WrappedContent : HttpContent
{
    protected WrappedContent(HttpContent inner, Func<string, bool> keepHeader)
    {
        Inner = inner;
        foreach (var header in inner.Headers)
        {
            if (keepHeader(header.Key))
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    protected HttpContent Inner { get; }

    protected abstract override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false; // a Content-Length header the server sent, where it still holds, was copied over
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
