using Cocona;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>Options every API command accepts: where to send, how to page, how to print.</summary>
public sealed record CommonOptions(
    [Option("host", Description = "Stored host to use (default: BB_HOST, else the default host)", ValueName = "NAME")] string? Host = null,
    [Option("api-url", Description = "API origin for this call, e.g. http://127.0.0.1:8080 (default: BB_API_URL, else the host's)", ValueName = "URL")] string? ApiUrl = null,
    [Option("paginate", Description = "Follow 'next' links and print every page's values")] bool Paginate = false,
    [Option("limit", Description = "Stop after N items (implies --paginate)", ValueName = "N")] int? Limit = null,
    [Option("jsonl", Description = "Print one JSON value per line")] bool Jsonl = false,
    [Option("query", Description = "Filter the JSON output with a JMESPath expression", ValueName = "EXPR")] string? Query = null,
    [Option("format", Description = "Output format: json or table", ValueName = "json|table")] string? Format = null,
    [Option("include", new[] { 'i' }, Description = "Print the HTTP status line and response headers")] bool Include = false,
    [Option("verbose", new[] { 'v' }, Description = "Print the request and response (secrets redacted) to stderr")] bool Verbose = false,
    [Option("dry-run", Description = "Print the request that would be sent (secrets redacted) and send nothing")] bool DryRun = false,
    [Option("timeout", Description = "Give up after this many seconds, retries included (default 100)", ValueName = "SECONDS")] double? Timeout = null)
    : ICommandParameterSet;

/// <summary>Options that build a request body (gh's conventions).</summary>
public sealed record BodyOptions(
    [Option("raw-field", new[] { 'f' }, Description = "Add a string field: key=value (dots nest: source.branch.name=x)", ValueName = "KEY=VALUE")] string[]? RawFields = null,
    [Option("field", new[] { 'F' }, Description = "Add a typed field: true, false, null, numbers, @file, @- for stdin", ValueName = "KEY=VALUE")] string[]? Fields = null,
    [Option("input", Description = "Send this file as the body ('-' for stdin)", ValueName = "FILE")] string? Input = null)
    : ICommandParameterSet;
