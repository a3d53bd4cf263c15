namespace Bitbucket.Cli.Core.Output;

/// <summary>Everything that decides how a response is printed; built once per command run.</summary>
/// <remarks>
/// When both are set, <see cref="Format"/> = <see cref="OutputFormat.Table"/> wins over <see cref="Jsonl"/>;
/// <see cref="ForTerminal"/> rejects that combination as a usage error instead.
/// </remarks>
public sealed record OutputSettings
{
    /// <summary>Indent JSON with two spaces (ignored for JSON Lines, which is always compact).</summary>
    public bool Pretty { get; init; }

    /// <summary>Emit ANSI colour codes.</summary>
    public bool Color { get; init; }

    /// <summary>stdout is a terminal: text bb prints as it is (a string <see cref="Query"/> picks out) shows no control characters.</summary>
    public bool Terminal { get; init; }

    /// <summary>Print one compact JSON value per line instead of one document.</summary>
    public bool Jsonl { get; init; }

    /// <summary>A JMESPath expression applied before printing (per item for paginated lists, unless <see cref="Slurp"/>).</summary>
    public string? Query { get; init; }

    /// <summary>
    /// <c>--slurp</c>: a paginated list is collected whole and printed as one value, <see cref="Query"/> applied to
    /// the whole array (not per item). Memory grows with the list.
    /// </summary>
    public bool Slurp { get; init; }

    /// <summary>JSON or table.</summary>
    public OutputFormat Format { get; init; } = OutputFormat.Json;

    /// <summary>Table columns as dotted paths into each item (<c>target.hash</c>); empty = derive from the first item.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>
    /// Settings the way gh picks them: a terminal gets indented, coloured JSON; a pipe gets compact,
    /// colourless JSON; a non-empty <c>NO_COLOR</c> (https://no-color.org) turns colour off everywhere.
    /// </summary>
    /// <param name="stdoutIsTty">Whether stdout is a terminal.</param>
    /// <param name="noColorEnv">The value of the <c>NO_COLOR</c> environment variable, or null.</param>
    /// <param name="jsonl">--jsonl.</param>
    /// <param name="query">--query.</param>
    /// <param name="format">--format as typed (json, table or null); anything else is a usage error.</param>
    /// <param name="columns">The endpoint's default table columns.</param>
    public static OutputSettings ForTerminal(
        bool stdoutIsTty,
        string? noColorEnv,
        bool jsonl = false,
        string? query = null,
        string? format = null,
        IReadOnlyList<string>? columns = null)
    {
        var parsed = ParseFormat(format);
        if (jsonl && parsed == OutputFormat.Table)
        {
            throw new UsageException("--jsonl cannot be combined with --format table");
        }

        return new OutputSettings
        {
            Pretty = stdoutIsTty,
            Terminal = stdoutIsTty,
            Color = stdoutIsTty && string.IsNullOrEmpty(noColorEnv),
            Jsonl = jsonl,
            Query = string.IsNullOrWhiteSpace(query) ? null : query,
            Format = parsed,
            Columns = columns ?? [],
        };
    }

    /// <summary>Parses --format (case-insensitive; null means JSON); an unknown value is a usage error.</summary>
    public static OutputFormat ParseFormat(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => OutputFormat.Json,
        "table" => OutputFormat.Table,
        _ => throw new UsageException($"invalid value '{value}' for --format; allowed: json, table"),
    };
}
