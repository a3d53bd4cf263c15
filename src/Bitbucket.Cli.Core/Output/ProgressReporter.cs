using System.Globalization;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// Shows pagination progress as one stderr line rewritten in place with <c>\r</c>
/// ("fetched 3 pages, 250 items") and erased at the end. Does nothing when stderr is not a terminal.
/// </summary>
/// <remarks>
/// When stdout is the same terminal, call <see cref="Clear"/> before printing a page to stdout (the next
/// <see cref="PageFetched"/> redraws the line), or only enable it when stdout is redirected.
/// </remarks>
public sealed class ProgressReporter(TextWriter stderr, bool isTty) : IDisposable
{
    private int shownLength;

    /// <summary>Pages fetched so far.</summary>
    public int Pages { get; private set; }

    /// <summary>Items fetched so far.</summary>
    public long Items { get; private set; }

    /// <summary>The progress text for the current counts.</summary>
    public string Text => string.Create(
        CultureInfo.InvariantCulture,
        $"fetched {Pages} {(Pages == 1 ? "page" : "pages")}, {Items} {(Items == 1 ? "item" : "items")}");

    /// <summary>Counts one more page of <paramref name="itemCount"/> items and redraws the line.</summary>
    public void PageFetched(int itemCount)
    {
        Pages++;
        Items += itemCount;
        if (!isTty)
        {
            return;
        }

        var text = Text;
        stderr.Write('\r');
        stderr.Write(text);
        if (text.Length < shownLength)
        {
            stderr.Write(new string(' ', shownLength - text.Length));
        }

        shownLength = Math.Max(shownLength, text.Length);
        stderr.Flush();
    }

    /// <summary>Erases the progress line (if one is shown), leaving the cursor at the start of the line.</summary>
    public void Clear()
    {
        if (!isTty || shownLength == 0)
        {
            return;
        }

        stderr.Write('\r');
        stderr.Write(new string(' ', shownLength));
        stderr.Write('\r');
        stderr.Flush();
        shownLength = 0;
    }

    /// <summary>Erases the line at the end of pagination.</summary>
    public void Dispose() => Clear();
}
