namespace Bitbucket.Cli.Core.Commands;

/// <summary><c>bb api -H 'Name: value'</c>: parsing and placing extra request headers.</summary>
internal static class RequestHeaders
{
    /// <summary>Splits each header at its first colon and trims both sides.</summary>
    /// <exception cref="UsageException">
    /// A header has no name before a colon, a name that is not an HTTP token (spaces, controls,
    /// separators), or a value with a control character (CR and LF would start a header of their own)
    /// or a character outside ASCII.
    /// </exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> headers)
    {
        var parsed = new List<KeyValuePair<string, string>>();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || header[..colon].Trim().Length == 0)
            {
                throw new UsageException($"header '{Shown(header)}' is not 'Name: value'");
            }

            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (!IsToken(name))
            {
                throw new UsageException($"header name '{Shown(name)}' is not valid: use letters, digits and !#$%&'*+-.^_`|~ only (no spaces or control characters)");
            }

            if (FindBadValueChar(value) is { } bad)
            {
                throw new UsageException(bad < 0x80
                    ? $"header {name}: the value contains a control character (U+{bad:X4}); CR, LF and other controls are not allowed"
                    : $"header {name}: the value contains a non-ASCII character (U+{bad:X4}); send ASCII only");
            }

            parsed.Add(new(name, value));
        }

        return parsed;
    }

    /// <summary>RFC 9110 token: visible ASCII except the separators.</summary>
    private static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            if (c is <= ' ' or >= (char)0x7F || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    /// <summary>The first character a header value may not hold: controls other than tab, DEL, anything beyond ASCII.</summary>
    private static int? FindBadValueChar(string value)
    {
        foreach (var c in value)
        {
            if ((c < ' ' && c != '\t') || c >= (char)0x7F)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>A header as shown in an error line: controls made visible, so the line stays one line.</summary>
    private static string Shown(string text)
    {
        var shown = new System.Text.StringBuilder(Math.Min(text.Length, 80));
        foreach (var c in text.Length > 80 ? text[..80] : text)
        {
            shown.Append(c < ' ' || c == (char)0x7F ? $"\\x{(int)c:X2}" : c.ToString());
        }

        return text.Length > 80 ? shown + "…" : shown.ToString();
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
