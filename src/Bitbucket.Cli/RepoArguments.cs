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
        ("prs", "view"), ("prs", "checks"), ("prs", "checkout"), ("prs", "status"), ("prs", "create-from-branch"), ("browse", "open"),
    ];

    public static string[] Fill(string[] args, ConfigStore store, HostConfig builtIn, Func<string, string?> environment)
    {
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
}
