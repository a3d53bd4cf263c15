namespace Bitbucket.Cli.Core.Commands;

/// <summary><c>bb api -H 'Name: value'</c>: parsing and placing extra request headers.</summary>
internal static class RequestHeaders
{
    /// <summary>Splits each header at its first colon and trims both sides.</summary>
    /// <exception cref="UsageException">A header has no name before a colon.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> headers)
    {
        var parsed = new List<KeyValuePair<string, string>>();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UsageException($"header '{header}' is not 'Name: value'");
            }

            parsed.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        return parsed;
    }

    /// <summary>
    /// Adds the headers to the request; a content header (<c>Content-Type</c>) that the request does
    /// not take replaces the body's own, so the user's value wins.
    /// </summary>
    public static void Apply(HttpRequestMessage request, IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is { } content)
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }
}
