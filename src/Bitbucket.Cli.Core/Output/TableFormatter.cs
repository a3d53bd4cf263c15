using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>The pieces of table rendering: path lookup, cell text, headers and row layout.</summary>
public static class TableFormatter
{
    /// <summary>No column is wider than this; longer values are cut and end in '…'.</summary>
    public const int MaxColumnWidth = 60;

    /// <summary>Text between two columns.</summary>
    public const string ColumnGap = "  ";

    private static readonly JsonPrinter CompactPrinter = new(pretty: false, color: false);

    /// <summary>
    /// Follows a dotted path (<c>target.hash</c>) into <paramref name="root"/>. Segments name object
    /// properties; a segment that is a non-negative integer indexes an array (<c>reviewers.0.display_name</c>).
    /// The empty path is the element itself.
    /// </summary>
    public static bool TryGetPath(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        if (path.Length == 0)
        {
            return true;
        }

        foreach (var range in path.AsSpan().Split('.'))
        {
            var segment = path.AsSpan()[range];
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment, out var child))
            {
                value = child;
            }
            else if (value.ValueKind == JsonValueKind.Array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < value.GetArrayLength())
            {
                value = value[index];
            }
            else
            {
                value = default;
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The text of one cell: strings raw, numbers as their JSON text, booleans lower-case, null empty,
    /// objects and arrays as compact JSON; then squeezed onto one line (newlines and tabs become spaces).
    /// </summary>
    public static string FormatValue(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Number => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value)),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Object or JsonValueKind.Array => CompactPrinter.Format(value),
            _ => string.Empty,
        };
        return OneLine.Collapse(text);
    }

    /// <summary>The cell for <paramref name="path"/> in <paramref name="item"/>; empty when the path is missing.</summary>
    public static string Cell(JsonElement item, string path) =>
        TryGetPath(item, path, out var value) ? FormatValue(value) : string.Empty;

    /// <summary>The header for a column: its path upper-cased (<c>TARGET.HASH</c>); <c>VALUE</c> for the empty path.</summary>
    public static string Header(string path) =>
        path.Length == 0 ? "VALUE" : path.ToUpperInvariant();

    /// <summary>
    /// Columns to use when none are configured: the top-level properties of <paramref name="first"/> that hold
    /// scalars, in document order; the empty path (the item itself) when it is not an object.
    /// </summary>
    public static IReadOnlyList<string> DefaultColumns(JsonElement first)
    {
        if (first.ValueKind != JsonValueKind.Object)
        {
            return [string.Empty];
        }

        var columns = new List<string>();
        foreach (var property in first.EnumerateObject())
        {
            if (property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                columns.Add(property.Name);
            }
        }

        return columns.Count > 0 ? columns : [string.Empty];
    }

    /// <summary>Column widths that fit the headers and <paramref name="rows"/>, capped at <see cref="MaxColumnWidth"/>.</summary>
    public static int[] Widths(IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var widths = new int[headers.Count];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = OneLine.Width(headers[i]);
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], Math.Min(OneLine.Width(row[i]), MaxColumnWidth));
            }
        }

        return widths;
    }

    /// <summary>
    /// One table line: each cell cut to its width (ending in '…') and padded, columns separated by
    /// <see cref="ColumnGap"/>; trailing spaces are dropped. The last column aligns nothing after it, so it is
    /// only cut at <see cref="MaxColumnWidth"/>.
    /// </summary>
    public static string FormatRow(IReadOnlyList<string> cells, IReadOnlyList<int> widths)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            var last = i == cells.Count - 1;
            var cell = OneLine.Truncate(cells[i], last ? Math.Max(widths[i], MaxColumnWidth) : widths[i]);
            if (i > 0)
            {
                builder.Append(ColumnGap);
            }

            builder.Append(cell);
            if (!last)
            {
                builder.Append(' ', Math.Max(0, widths[i] - OneLine.Width(cell)));
            }
        }

        return builder.ToString().TrimEnd(' ');
    }
}
