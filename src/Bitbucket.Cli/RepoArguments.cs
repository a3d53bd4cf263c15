using Bitbucket.Cli.Api;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Git;

namespace Bitbucket.Cli;

/// <summary>Start-up step before the host is resolved: a command line without repository coordinates gets them (<see cref="ContextArguments"/>).</summary>
internal static class RepoArguments
{
    /// <summary>The hand-written commands that run against one repository (the remote also picks their host).</summary>
    public static readonly (string Group, string Command)[] Verbs =
    [
        ("prs", "view"), ("prs", "checks"), ("prs", "checkout"), ("prs", "status"), ("prs", Commands.PrsDailyCommands.CreateFromBranch), ("browse", "*"),
    ];

    /// <summary>Options that give <c>bb prs create</c> a body: with one of them it is the generated command, without it the branch verb.</summary>
    private static readonly string[] BodyFlags = ["-f", "-F", "--raw-field", "--field", "--input"];

    public static string[] Fill(string[] args, ConfigStore store, HostConfig builtIn, Func<string, string?> environment)
    {
        args = DispatchCreate(args);
        BbConfig config;
        try
        {
            config = store.Load();
        }
        catch (ConfigException)
        {
            return args;
        }

        var remote = new Lazy<RemoteRepository?>(() => RepoContext.FromGit(new GitRunner()));
        return new ContextArguments(GeneratedEndpoints.All, config, environment, () => remote.Value, Verbs)
            .Apply(args, a => StartupHost.Resolve(a, store, builtIn, environment).Flavor);
    }

    /// <summary>
    /// <c>bb prs create</c> is two commands: with a body flag (<c>-f</c>, <c>-F</c>, <c>--input</c>) the generated
    /// one, exactly as before; without, the hand-written one that creates the pull request from the current branch.
    /// </summary>
    internal static string[] DispatchCreate(string[] args)
    {
        var (group, command) = StartupHost.CommandWords(args);
        if (group != "prs" || command != "create")
        {
            return args;
        }

        // --help shows the generated command's page (the API's fields); the branch form has its own:
        // bb prs create-from-branch --help.
        var end = Array.IndexOf(args, "--") is var dashes and >= 0 ? dashes : args.Length;
        if (args.Take(end).Any(a => a is "--help" or "-h" || BodyFlags.Any(f => a == f || a.StartsWith(f + "=", StringComparison.Ordinal))))
        {
            return args;
        }

        var at = Array.FindIndex(args, a => a == "prs");
        var index = Array.FindIndex(args, at + 1, a => a == "create");
        var copy = (string[])args.Clone();
        copy[index] = Commands.PrsDailyCommands.CreateFromBranch;
        return copy;
    }
}
