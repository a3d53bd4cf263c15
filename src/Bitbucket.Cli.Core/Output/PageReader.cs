using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// Reads one Bitbucket response body: a Cloud page <c>{"values":[…],"next":…}</c>, a Data Center page
/// <c>{"values":[…],"isLastPage":false,"nextPageStart":25}</c>, or any other JSON.
/// </summary>
/// <remarks>
/// A page is bounded by its <c>pagelen</c>, so it is parsed into one <see cref="JsonDocument"/>; pagination
/// reads, prints and disposes one page before requesting the next, so memory does not grow with the page count.
/// Follow a Cloud <see cref="PageResult.Next"/> exactly as given; a Data Center page is continued by setting
/// only <c>start</c> to <see cref="PageResult.NextPageStart"/> in the URL as sent.
/// </remarks>
public static class PageReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    /// <summary>Parses <paramref name="body"/>; the caller disposes the result.</summary>
    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public static async Task<PageResult> ReadPageAsync(Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var document = await JsonDocument.ParseAsync(body, Options, cancellationToken).ConfigureAwait(false);
        return new PageResult(document);
    }

    /// <summary>Parses an in-memory body; the caller disposes the result.</summary>
    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public static PageResult ReadPage(ReadOnlyMemory<byte> body) => new(JsonDocument.Parse(body, Options));
}
