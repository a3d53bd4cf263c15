using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// A human table. Rows are buffered for one page only: column widths are computed from the first page
/// (headers included) and kept for later pages, whose longer values are cut to fit and end in '…'
/// (except in the last column, which is only cut at <see cref="TableFormatter.MaxColumnWidth"/>).
/// </summary>
internal sealed class TableSink(TextWriter output, JsonQuery? query, IReadOnlyList<string> columns, bool color)
    : ItemSink(output, query)
{
    private readonly List<string[]> rows = [];
    private IReadOnlyList<string> columns = columns;
    private int[]? widths;

    /// <summary>Rows waiting for the end of the page.</summary>
    internal int BufferedRows => rows.Count;

    private protected override void WriteItemCore(JsonElement item)
    {
        if (this.columns.Count == 0)
        {
            this.columns = TableFormatter.DefaultColumns(item);
        }

        var cells = new string[this.columns.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = TableFormatter.Cell(item, this.columns[i]);
        }

        rows.Add(cells);
    }

    private protected override void EndPageCore()
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (this.widths is null)
        {
            var headers = this.columns.Select(TableFormatter.Header).ToArray();
            this.widths = TableFormatter.Widths(headers, rows);
            var header = TableFormatter.FormatRow(headers, this.widths);
            Output.Write(color ? Ansi.Bold + header + Ansi.Reset : header);
            Output.Write('\n');
        }

        foreach (var row in rows)
        {
            Output.Write(TableFormatter.FormatRow(row, this.widths));
            Output.Write('\n');
        }

        rows.Clear();
    }
}
