using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Git;
using Bitbucket.Cli.Core.Terminal;
using Cocona;

namespace Bitbucket.Cli.Commands;

/// <summary><c>bb browse</c>: the repository's web page (or a file, branch, commit, the pull requests) in the browser.</summary>
internal sealed class BrowseCommand(ConfigStore store, ConsoleIO io)
{
    [Command("browse", Description = "Open the repository (or a file, branch, commit or its pull requests) in the browser. Example: bb browse src/app.cs --branch develop --no-browser")]
    public int Browse(
        [Argument("path", Description = "File or directory in the repository (default: the repository's page)")] string? path = null,
        [Option("branch", Description = "At this branch", ValueName = "BRANCH")] string? branch = null,
        [Option("commit", Description = "At this commit", ValueName = "HASH")] string? commit = null,
        [Option("prs", Description = "The pull requests page")] bool prs = false,
        [Option("no-browser", Description = "Print the URL instead of opening it")] bool noBrowser = false,
        [Option(BbOptionNames.Host, Description = "Stored host to use (default: BB_HOST, the git remote's host, else the default host)", ValueName = "NAME")] string? host = null,
        [Option(BbOptionNames.Repo, new[] { BbOptionNames.RepoShort }, Description = "Repository WORKSPACE/REPO (default: BB_REPO, else the git remote)", ValueName = "WS/REPO")] string? repo = null)
    {
        if (new[] { branch is not null, commit is not null, prs }.Count(x => x) > 1)
        {
            throw new UsageException("give at most one of --branch, --commit and --prs");
        }

        if (prs && path is not null)
        {
            throw new UsageException("--prs opens the pull requests page; it takes no PATH");
        }

        var config = store.Load();
        var name = CredentialResolver.HostName(config, io.Environment, host);
        var stored = config.GetHost(name);
        var target = PrsRepository.Locate(repo, io, new GitRunner(), stored.Name, stored.ApiUrl);
        var url = PrsWeb.Page(PrsWeb.WebBase(stored.ApiUrl, stored.Flavor), stored.Flavor, target.Owner, target.Repo, path, branch, commit, prs);
        if (noBrowser || !BrowserLauncher.TryOpen(url, io.Environment))
        {
            io.Out.WriteLine(url);
        }

        return ExitCodes.Ok;
    }
}
