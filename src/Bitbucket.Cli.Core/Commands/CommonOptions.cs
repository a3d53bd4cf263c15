using Bitbucket.Cli.Core.Config;
using Cocona;
using Cocona.CommandLine;
using Cocona.ShellCompletion.Candidate;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>Options every API command accepts: where to send, how to page, how to print.</summary>
/// <remarks>Names come from <see cref="BbOptionNames"/>, which the spec generator checks spec parameters against.</remarks>
public sealed record CommonOptions(
    [Option(BbOptionNames.Host, Description = "Stored host to use (default: BB_HOST, else the default host)", ValueName = "NAME"), CompletionCandidates(typeof(HostCandidates))] string? Host = null,
    [Option(BbOptionNames.ApiUrl, Description = "API origin for this call, e.g. http://127.0.0.1:8080 (default: BB_API_URL, else the host's)", ValueName = "URL")] string? ApiUrl = null,
    [Option(BbOptionNames.Paginate, Description = "Follow 'next' links and print every page's values")] bool Paginate = false,
    [Option(BbOptionNames.Limit, Description = "Stop after N items (implies --paginate)", ValueName = "N")] int? Limit = null,
    [Option(BbOptionNames.Jsonl, Description = "Print one JSON value per line")] bool Jsonl = false,
    [Option(BbOptionNames.Query, Description = "Filter the JSON output with a JMESPath expression", ValueName = "EXPR")] string? Query = null,
    [Option(BbOptionNames.Format, Description = "Output format: json or table", ValueName = "json|table")] string? Format = null,
    [Option(BbOptionNames.Include, new[] { BbOptionNames.IncludeShort }, Description = "Print the HTTP status line and response headers")] bool Include = false,
    [Option(BbOptionNames.Verbose, new[] { BbOptionNames.VerboseShort }, Description = "Print the request and response (secrets redacted) to stderr")] bool Verbose = false,
    [Option(BbOptionNames.DryRun, Description = "Print the request that would be sent (secrets redacted) and send nothing")] bool DryRun = false,
    [Option(BbOptionNames.Timeout, Description = "Give up after this many seconds, retries included (default 100)", ValueName = "SECONDS")] double? Timeout = null,
    [Option(BbOptionNames.Slurp, Description = "Collect every page into one array and run --query on the whole (implies --paginate)")] bool Slurp = false,
    [Option(BbOptionNames.Parallel, Description = "Fetch up to N pages at a time when it is safe (default 4; 1 = one at a time)", ValueName = "N")] int? Parallel = null,
    [Option(BbOptionNames.Repo, new[] { BbOptionNames.RepoShort }, Description = "Repository WORKSPACE/REPO (Data Center: PROJECT/REPO) for commands that take one, instead of typing both (default: BB_REPO, else the git remote)", ValueName = "WS/REPO")] string? Repo = null)
    : ICommandParameterSet;

/// <summary>Options that build a request body (gh's conventions).</summary>
public sealed record BodyOptions(
    [Option(BbOptionNames.RawField, new[] { BbOptionNames.RawFieldShort }, Description = "Add a string field: key=value (dots nest: source.branch.name=x)", ValueName = "KEY=VALUE")] string[]? RawFields = null,
    [Option(BbOptionNames.Field, new[] { BbOptionNames.FieldShort }, Description = "Add a typed field: true, false, null, numbers, @file, @- for stdin", ValueName = "KEY=VALUE")] string[]? Fields = null,
    [Option(BbOptionNames.Input, Description = "Send this file as the body ('-' for stdin)", ValueName = "FILE")] string? Input = null)
    : ICommandParameterSet;

/// <summary>Shell completion of <c>--host</c>: the names of the stored hosts (hosts.json; none if it cannot be read).</summary>
public sealed class HostCandidates : ICoconaCompletionOnTheFlyCandidatesProvider
{
    private readonly ConfigStore store;

    internal HostCandidates(ConfigStore store) => this.store = store;

    public IReadOnlyList<CompletionCandidateValue> GetCandidates(CoconaCompletionCandidatesMetadata metadata, ParsedCommandLine parsedCommandLine)
    {
        try
        {
            return store.Load().Hosts.Keys.Order(StringComparer.Ordinal).Select(name => new CompletionCandidateValue(name, "")).ToArray();
        }
        catch (ConfigException)
        {
            return [];
        }
    }
}
