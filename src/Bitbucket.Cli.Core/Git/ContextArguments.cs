using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;

namespace Bitbucket.Cli.Core.Git;

/// <summary>
/// Fills a generated command's repository coordinates before Cocona sees the command line. The one
/// rule (docs/spec-format.md, "Repository coordinates"): a command whose path has N arguments, two of
/// them marked <c>"context"</c>, takes all N (typed, as ever) or N − 2; then the two come from
/// <c>-R</c>, else <c>BB_REPO</c>, else the git remote — and a remote also picks the stored host when
/// neither <c>--host</c> nor <c>BB_HOST</c> does. Any other count, or no repository from any source,
/// leaves the command line as it was.
/// </summary>
internal sealed class ContextArguments(
    IReadOnlyList<EndpointInfo> endpoints,
    BbConfig config,
    Func<string, string?> environment,
    Func<RemoteRepository?> remote,
    IReadOnlyCollection<(string Group, string Command)> verbs)
{
    /// <summary>git runs at most once per command line.</summary>
    private readonly Lazy<RemoteRepository?> fromRemote = new(remote);

    private static readonly string[] CommonValueOptions =
    [
        "--" + BbOptionNames.Host, "--" + BbOptionNames.ApiUrl, "--" + BbOptionNames.Limit, "--" + BbOptionNames.Query,
        "--" + BbOptionNames.Format, "--" + BbOptionNames.Timeout, "--" + BbOptionNames.Repo, "-" + BbOptionNames.RepoShort,
        "--" + BbOptionNames.RawField, "-" + BbOptionNames.RawFieldShort, "--" + BbOptionNames.Field, "-" + BbOptionNames.FieldShort,
        "--" + BbOptionNames.Input,
    ];

    /// <summary>
    /// <paramref name="args"/> with the coordinates (and the remote's host) filled in, or unchanged.
    /// <paramref name="verbs"/> are hand-written commands that run against one repository: they get the
    /// remote's host the same way and find the coordinates themselves (<see cref="RepoContext"/>).
    /// </summary>
    /// <param name="flavorOf">The flavour of the host a command line selects (the start-up rule).</param>
    public string[] Apply(string[] args, Func<IReadOnlyList<string>, ApiFlavor> flavorOf)
    {
        var words = Words(args, []);
        if (words.Count < 1 || args.Any(a => a is "--help" or "-h"))
        {
            return args;
        }

        var group = args[words[0]];
        var command = words.Count > 1 ? args[words[1]] : string.Empty;

        // A top-level verb (bb browse [PATH]) is listed with the command "*".
        var isVerb = verbs.Contains((group, command)) || verbs.Contains((group, "*"));
        var candidates = endpoints.Where(e => e.Group == group && e.Name == command && e.Parameters.Any(p => p.Context is not null)).ToList();
        if (!isVerb && candidates.Count == 0)
        {
            return args;
        }

        var repoOption = LastValue(args, "--" + BbOptionNames.Repo, "-" + BbOptionNames.RepoShort);
        var hostGiven = StartupHostOption(args) ?? EnvironmentVariables.Read(environment, EnvironmentVariables.Host);
        var fromEnvironment = EnvironmentVariables.Read(environment, RepoContext.RepoVariable);

        // The remote's host picks the login unless --host or BB_HOST does, whatever names the repository.
        if (isVerb)
        {
            // The verb reads -R, BB_REPO and the remote itself; only the host is settled here.
            var verbHost = hostGiven is null ? RemoteHost() : null;
            return verbHost is null ? args : Insert(args, words[command.Length > 0 && words.Count > 1 && !verbs.Contains((group, "*")) ? 1 : 0] + 1, "--" + BbOptionNames.Host, verbHost.Name);
        }

        if (words.Count < 2)
        {
            return args;
        }

        // Typed coordinates (or any count but N - 2) never start git: the command line stays as it was.
        var defaultFlavor = flavorOf(args);
        var first = candidates.FirstOrDefault(e => e.Flavor == defaultFlavor) ?? candidates[0];
        var typed = Positionals(args, first, words[1]);
        if (typed == PathCount(first) && repoOption is not null)
        {
            throw new UsageException($"the repository is given twice, as arguments and with -R {repoOption}; give it once");
        }

        if (!candidates.Any(e => Positionals(args, e, words[1]) == PathCount(e) - 2))
        {
            return args;
        }

        var remoteHost = hostGiven is null ? RemoteHost() : null;

        var withHost = remoteHost is null ? args : Insert(args, words[1] + 1, "--" + BbOptionNames.Host, remoteHost.Name);
        var flavor = remoteHost?.Flavor ?? defaultFlavor;
        var endpoint = candidates.FirstOrDefault(e => e.Flavor == flavor);
        if (endpoint is null)
        {
            return args;
        }

        var pathCount = PathCount(endpoint);
        var given = Positionals(withHost, endpoint, words[1]);
        if (given == pathCount && repoOption is not null)
        {
            throw new UsageException($"the repository is given twice, as arguments and with -R {repoOption}; give it once");
        }

        if (given != pathCount - 2)
        {
            return args;
        }

        if (repoOption is not null)
        {
            var (owner, repo) = RepoContext.ParseFullName(repoOption, "-R/--repo");
            return Insert(withHost, words[1] + 1, owner, repo);
        }

        if (fromEnvironment is not null)
        {
            var (owner, repo) = RepoContext.ParseFullName(fromEnvironment, RepoContext.RepoVariable);
            return Insert(withHost, words[1] + 1, owner, repo);
        }

        if (fromRemote.Value is not { } fromGit)
        {
            return args;
        }

        if (remoteHost is not null)
        {
            return Insert(withHost, words[1] + 1, fromGit.Owner, fromGit.Repo);
        }

        // An explicit host keeps its say: a remote on another server names nothing there.
        return hostGiven is not null && config.TryGetHost(hostGiven, out var chosen) && RepoContext.Serves(chosen, fromGit)
            ? Insert(args, words[1] + 1, fromGit.Owner, fromGit.Repo)
            : args;
    }

    private static int PathCount(EndpointInfo endpoint) => endpoint.Parameters.Count(p => p.Location == ParameterLocation.Path);

    private HostConfig? RemoteHost() => fromRemote.Value is { } fromGit ? RepoContext.MatchHost(config, fromGit) : null;

    private static string? StartupHostOption(IReadOnlyList<string> args) => LastValue(args, "--" + BbOptionNames.Host);

    /// <summary>The value of the last of <paramref name="names"/> before <c>--</c> (<c>-R x</c>, <c>--repo=x</c>).</summary>
    internal static string? LastValue(IReadOnlyList<string> args, params string[] names)
    {
        string? value = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                break;
            }

            foreach (var name in names)
            {
                if (arg == name && i + 1 < args.Count)
                {
                    value = args[++i];
                    break;
                }

                if (arg.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    value = arg[(name.Length + 1)..];
                    break;
                }
            }
        }

        return value;
    }

    /// <summary>Indexes of the words that are not options nor option values, options taking a value being <paramref name="valueOptions"/> and bb's own.</summary>
    private static List<int> Words(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions)
    {
        var words = new List<int>();
        var afterDashes = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (afterDashes || arg == "-" || !arg.StartsWith('-'))
            {
                words.Add(i);
            }
            else if (arg == "--")
            {
                afterDashes = true;
            }
            else if (!arg.Contains('=', StringComparison.Ordinal) && (CommonValueOptions.Contains(arg) || valueOptions.Contains(arg)))
            {
                i++;
            }
        }

        return words;
    }

    /// <summary>How many positional arguments follow the command word at <paramref name="commandIndex"/>.</summary>
    private static int Positionals(IReadOnlyList<string> args, EndpointInfo endpoint, int commandIndex)
    {
        var valueOptions = endpoint.Parameters
            .Where(p => p.Location != ParameterLocation.Path && p.Type != "boolean")
            .Select(p => "--" + p.CliName)
            .ToList();
        return Words(args, valueOptions).Count(i => i > commandIndex);
    }

    private static string[] Insert(string[] args, int at, params string[] values) => [.. args[..at], .. values, .. args[at..]];
}
