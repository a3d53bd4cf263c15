using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// The one place command output goes through: prints single responses and creates sinks for paginated
/// lists, honouring format, JSON Lines, colour, indentation and --query.
/// </summary>
/// <remarks>
/// --query on a single (non-paginated) response is applied to the whole value; on a paginated list it is
/// applied to each item (see <see cref="ItemSink"/>). A null result prints nothing.
/// </remarks>
public sealed class OutputWriter
{
    private readonly TextWriter output;
    private readonly JsonQuery? query;

    /// <summary>Creates the writer; an invalid --query is reported here, before any request is sent.</summary>
    public OutputWriter(OutputSettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        this.output = output;
        this.query = settings.Query is null ? null : JsonQuery.Parse(settings.Query);
        Printer = new JsonPrinter(settings.Pretty && !settings.Jsonl, settings.Color);
    }

    public OutputSettings Settings { get; }

    /// <summary>The JSON printer matching the settings.</summary>
    public JsonPrinter Printer { get; }

    /// <summary>A sink for the items of a paginated list (per-item --query).</summary>
    public ItemSink CreateListSink() => ItemSink.Create(Settings, this.output, this.query);

    /// <summary>
    /// Prints one whole response value. JSON: the value and a newline (a string that <c>--query</c> picks out: its text). JSON Lines: each element of an array
    /// on its own line, any other value on one line. Table: an array's elements as rows, an object as one row,
    /// a scalar as its text.
    /// </summary>
    public void WriteValue(JsonElement value)
    {
        if (this.query is null)
        {
            WriteUnqueried(value);
            return;
        }

        using var result = this.query.Evaluate(value);
        if (result is null)
        {
            return;
        }

        // A string the query picks out is printed as its text, as gh's --jq does: $(bb … --query target.hash) is the
        // hash itself. --jsonl still means JSON, and a table prints a scalar as its text anyway.
        if (result.RootElement.ValueKind == JsonValueKind.String && Settings.Format == OutputFormat.Json && !Settings.Jsonl)
        {
            var text = result.RootElement.GetString()!;
            this.output.Write(Settings.Terminal ? OneLine.Printable(text) : text);
            this.output.Write('\n');
            this.output.Flush();
            return;
        }

        WriteUnqueried(result.RootElement);
    }

    /// <summary>
    /// Prints a response body. Plain JSON output without --query is streamed straight through (the body is
    /// never held in memory); otherwise the body is parsed first.
    /// </summary>
    /// <exception cref="JsonException">The body is not valid JSON (output may be partial when streaming).</exception>
    public async Task WriteValueAsync(Stream body, CancellationToken cancellationToken = default)
    {
        if (this.query is null && Settings.Format == OutputFormat.Json && !Settings.Jsonl)
        {
            await Printer.WriteAsync(this.output, body, cancellationToken).ConfigureAwait(false);
            this.output.Write('\n');
            await this.output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        using var page = await PageReader.ReadPageAsync(this.query is null ? body : JsonQuery.Bounded(body), cancellationToken).ConfigureAwait(false);
        WriteValue(page.Root);
    }

    private void WriteUnqueried(JsonElement value)
    {
        if (Settings.Format == OutputFormat.Json && !Settings.Jsonl)
        {
            Printer.Write(this.output, value);
            this.output.Write('\n');
            this.output.Flush();
            return;
        }

        if (Settings.Format == OutputFormat.Table && value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
        {
            this.output.Write(TableFormatter.FormatValue(value));
            this.output.Write('\n');
            this.output.Flush();
            return;
        }

        var sink = ItemSink.Create(Settings, this.output, query: null);
        sink.BeginList();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                sink.WriteItem(item);
            }
        }
        else
        {
            sink.WriteItem(value);
        }

        sink.EndList();
    }
}
