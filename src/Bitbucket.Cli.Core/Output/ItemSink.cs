using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// Receives the items of a (possibly paginated) list as they arrive and prints them in the configured
/// format: <c>BeginList()</c>, then per page any number of <c>WriteItem</c> followed by <c>EndPage()</c>,
/// then <c>EndList()</c>.
/// </summary>
/// <remarks>
/// <para>Items are JsonElements owned by the caller's page document: a sink never keeps an element after
/// <see cref="WriteItem"/> returns (the table sink keeps the row's cell text until <see cref="EndPage"/>), so the
/// caller may dispose each page after <see cref="EndPage"/>. Output is flushed at every <see cref="EndPage"/>.</para>
/// <para>With --query, the expression is applied to <em>each item</em> (like <c>gh api --paginate --jq</c>,
/// which runs on each page), never to the list as a whole; an item whose result is null prints nothing (jq style).
/// An expression such as <c>length(@)</c> therefore sees one item, not the whole list — unless
/// <see cref="OutputSettings.Slurp"/> is set, when the whole list is collected and queried once (<see cref="SlurpSink"/>).</para>
/// <para>If fetching a later page fails, still call <see cref="EndList"/> (e.g. in a finally block) so stdout
/// stays one valid JSON array of what was fetched; the error line and exit code report the failure.</para>
/// </remarks>
public abstract class ItemSink
{
    private readonly JsonQuery? query;
    private State state;

    private protected ItemSink(TextWriter output, JsonQuery? query)
    {
        Output = output;
        this.query = query;
    }

    private enum State
    {
        New,
        Open,
        Closed,
    }

    /// <summary>Items printed so far (after --query; null results are not counted).</summary>
    public long ItemCount { get; private set; }

    /// <summary>Items received since the last <see cref="EndPage"/> (their output may still be buffered).</summary>
    internal int PendingItems { get; private set; }

    /// <summary>The most items ever pending at once: never more than one page.</summary>
    internal int PeakPendingItems { get; private set; }

    private protected TextWriter Output { get; }

    /// <summary>Creates the sink for <paramref name="settings"/> writing to <paramref name="output"/> (stdout).</summary>
    /// <remarks>Table format wins over JSON Lines, which wins over JSON.</remarks>
    public static ItemSink Create(OutputSettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Create(settings, output, settings.Query is null ? null : JsonQuery.Parse(settings.Query));
    }

    internal static ItemSink Create(OutputSettings settings, TextWriter output, JsonQuery? query)
    {
        if (settings.Slurp)
        {
            // The query runs on the whole array once it is complete, not per item.
            return new SlurpSink(output, settings);
        }

        if (settings.Format == OutputFormat.Table)
        {
            return new TableSink(output, query, settings.Columns, settings.Color);
        }

        var printer = new JsonPrinter(settings.Pretty && !settings.Jsonl, settings.Color);
        return settings.Jsonl
            ? new JsonLinesSink(output, query, printer)
            : new JsonArraySink(output, query, printer);
    }

    /// <summary>Starts the list (JSON: writes <c>[</c>).</summary>
    public void BeginList()
    {
        if (state != State.New)
        {
            throw new InvalidOperationException("BeginList was already called.");
        }

        state = State.Open;
        BeginListCore();
    }

    /// <summary>Prints one item (after applying --query, if any).</summary>
    public void WriteItem(JsonElement item)
    {
        EnsureOpen();
        PendingItems++;
        PeakPendingItems = Math.Max(PeakPendingItems, PendingItems);
        if (this.query is null)
        {
            WriteItemCore(item);
            ItemCount++;
            return;
        }

        using var result = this.query.Evaluate(item);
        if (result is not null)
        {
            WriteItemCore(result.RootElement);
            ItemCount++;
        }
    }

    /// <summary>Marks the end of one page: renders what the page buffered and flushes the output.</summary>
    public void EndPage()
    {
        EnsureOpen();
        EndPageCore();
        Output.Flush();
        PendingItems = 0;
    }

    /// <summary>
    /// Ends a list that broke off (a later page failed): the streaming sinks end it like <see cref="EndList"/>, so
    /// stdout stays valid; <c>--slurp</c> prints nothing.
    /// </summary>
    public void EndListAfterFailure()
    {
        Failed = true;
        EndList();
    }

    /// <summary>The list broke off (<see cref="EndListAfterFailure"/>).</summary>
    private protected bool Failed { get; private set; }

    /// <summary>Ends the list (JSON: writes <c>]</c>) and flushes; ends the current page first if needed.</summary>
    public void EndList()
    {
        EnsureOpen();
        if (PendingItems > 0)
        {
            EndPage();
        }

        state = State.Closed;
        EndListCore();
        Output.Flush();
    }

    private protected virtual void BeginListCore()
    {
    }

    private protected abstract void WriteItemCore(JsonElement item);

    private protected virtual void EndPageCore()
    {
    }

    private protected virtual void EndListCore()
    {
    }

    private void EnsureOpen()
    {
        if (state != State.Open)
        {
            throw new InvalidOperationException(state == State.New ? "Call BeginList first." : "The list has ended.");
        }
    }
}
