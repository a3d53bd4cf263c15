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
    private readonly List<string[]> _rows = [];
    private IReadOnlyList<string> _columns = columns;
    private int[]? _widths;

    /// <summary>Rows waiting for the end of the page.</summary>
    internal int BufferedRows => _rows.Count;

    private protected override void WriteItemCore(JsonElement item)
    {
        if (_columns.Count == 0)
        {
            _columns = TableFormatter.DefaultColumns(item);
        }

        var cells = new string[_columns.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = TableFormatter.Cell(item, _columns[i]);
        }

        _rows.Add(cells);
    }

    private protected override void EndPageCore()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        if (_widths is null)
        {
            var headers = _columns.Select(TableFormatter.Header).ToArray();
            _widths = TableFormatter.Widths(headers, _rows);
            var header = TableFormatter.FormatRow(headers, _widths);
            Output.Write(color ? Ansi.Bold + header + Ansi.Reset : header);
            Output.Write('\n');
        }

        foreach (var row in _rows)
        {
            Output.Write(TableFormatter.FormatRow(row, _widths));
            Output.Write('\n');
        }

        _rows.Clear();
    }
}
