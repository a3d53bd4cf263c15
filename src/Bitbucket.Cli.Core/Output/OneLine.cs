using System.Text;

namespace Bitbucket.Cli.Core.Output;

/// <summary>Squeezes arbitrary text onto one printable line (error messages, table cells).</summary>
internal static class OneLine
{
    public const char Ellipsis = '…';

    /// <summary>
    /// Replaces control characters (C0, C1), bidirectional overrides and isolates and whitespace runs
    /// with one space, trims, and caps the result at <paramref name="maxLength"/> characters (the last
    /// one becoming '…'). What is left cannot move the cursor, change colours or reorder what a
    /// terminal shows: the one function for every server-supplied string bb prints outside a body.
    /// </summary>
    public static string Collapse(string text, int maxLength = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength == int.MaxValue ? text.Length : maxLength + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || MovesTheTerminal(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length > maxLength)
            {
                break;
            }
        }

        return Truncate(builder.ToString(), maxLength);
    }

    /// <summary>
    /// A server-supplied string (a user name, a reason phrase, a header value) as bb prints it: on a
    /// terminal through <see cref="Collapse"/>, so escapes and bidi overrides never reach it; piped,
    /// exactly as received.
    /// </summary>
    public static string ForTerminal(string? text, bool terminal) =>
        text is null ? string.Empty : terminal ? Collapse(text) : text;

    /// <summary>
    /// <paramref name="text"/> with its lines and tabs kept and every other character <see cref="Collapse"/> takes out
    /// (<see cref="MovesTheTerminal"/>) shown as U+FFFD: server text printed whole on a terminal, which then cannot
    /// move the cursor, change colours or reorder the line.
    /// </summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(MovesTheTerminal(c) && c is not '\n' and not '\t' ? '\uFFFD' : c);
        }

        return builder.ToString();
    }

    /// <summary>Control characters (C0, C1), bidirectional overrides and isolates, and Unicode's line and paragraph separators.</summary>
    private static bool MovesTheTerminal(char c) => char.IsControl(c) || IsBidiControl(c) || c is '\u2028' or '\u2029';

    /// <summary>U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates): they reorder what follows on screen.</summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>Caps <paramref name="text"/> at <paramref name="maxLength"/> text elements, ending in '…' when cut.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        if (maxLength <= 0)
        {
            return string.Empty;
        }

        var width = 0;
        var cut = 0;
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            if (width == maxLength - 1)
            {
                cut = enumerator.ElementIndex;
            }

            width++;
        }

        return width <= maxLength ? text : text[..cut] + Ellipsis;
    }

    /// <summary>The display width we assume: one column per text element (East Asian wide characters are not special-cased).</summary>
    public static int Width(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }
        }

        return ascii ? text.Length : new System.Globalization.StringInfo(text).LengthInTextElements;
    }
}
