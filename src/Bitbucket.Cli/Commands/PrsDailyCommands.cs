using System.Globalization;
using Bitbucket.Cli.Api;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Git;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;
using Cocona;
using Cocona.Application;

namespace Bitbucket.Cli.Commands;

/// <summary>
/// <c>bb prs view|checks|checkout|status</c> and the branch form of <c>bb prs create</c>: the daily pull-request
/// loop, on top of the generated client, for the repository of the current checkout (or <c>-R</c>).
/// </summary>
internal sealed class PrsDailyCommands(ApiSessions sessions, IRefitClientFactory<IBitbucketApi> clients, ConsoleIO io, ICoconaAppContextAccessor context)
{
    /// <summary>The name <c>bb prs create</c> is dispatched to when no body flag is given (BbApp's start-up rewrite).</summary>
    public const string CreateFromBranch = "create-from-branch";

    private CancellationToken Cancellation => context.Current?.CancellationToken ?? CancellationToken.None;

    private PrsRepository Open(CommonOptions common) => PrsRepository.Open(sessions, clients, io, common);

    [Command("view", Description = "Show a pull request: title, state, author, branches, reviewers, checks, description, link (no ID: the current branch's). Example: bb prs view 7")]
    public async Task<int> View(
        [Argument("id", Description = "Pull request ID (default: the open pull request of the current branch)")] string? id = null,
        [Option("web", Description = "Open the pull request in the browser instead")] bool web = false,
        CommonOptions common = null!)
    {
        using var repo = Open(common);
        var pr = await FindAsync(repo, id).ConfigureAwait(false);
        if (web)
        {
            return Open(pr.Link ?? PrsWeb.PullRequest(repo.WebUrl, repo.Flavor, repo.Owner, repo.Repo, pr.Id), noBrowser: false);
        }

        var checks = await repo.ChecksAsync(pr, Cancellation).ConfigureAwait(false);
        var o = io.Out;
        o.WriteLine($"#{pr.Id} {pr.Title}");
        o.WriteLine($"State: {pr.State}    Author: {pr.Author}    {pr.Source} -> {pr.Destination}");
        o.WriteLine("Reviewers: " + (pr.Reviewers.Count == 0 ? "none" : string.Join(", ", pr.Reviewers.Select(r => $"{r.Name} ({r.Status})"))));
        o.WriteLine("Checks: " + Summary(checks));
        o.WriteLine("Link: " + (pr.Link ?? PrsWeb.PullRequest(repo.WebUrl, repo.Flavor, repo.Owner, repo.Repo, pr.Id)));
        if (pr.Description.Length > 0)
        {
            o.WriteLine();
            o.WriteLine(pr.Description);
        }

        return ExitCodes.Ok;
    }

    [Command("checks", Description = "Build statuses of a pull request's head commit; exit 0 when all passed, 1 when any failed or (without --watch) is still running. Example: bb prs checks --watch && bb prs merge 7")]
    public async Task<int> Checks(
        [Argument("id", Description = "Pull request ID (default: the open pull request of the current branch)")] string? id = null,
        [Option("watch", Description = "Ask again until no check is in progress (Ctrl+C stops with 130)")] bool watch = false,
        [Option("interval", Description = "Seconds between looks with --watch, 1 to 300 (default 10)", ValueName = "SECONDS")] int interval = 10,
        CommonOptions common = null!)
    {
        if (interval is < 1 or > 300)
        {
            throw new UsageException("--interval must be between 1 and 300 seconds");
        }

        using var repo = Open(common);
        var pr = await FindAsync(repo, id).ConfigureAwait(false);
        var checks = await repo.ChecksAsync(pr, Cancellation).ConfigureAwait(false);
        while (watch && checks.Any(c => c.Pending))
        {
            io.Error.WriteLine($"bb: #{pr.Id}: {Summary(checks)}; looking again in {interval} s");
            await Task.Delay(TimeSpan.FromSeconds(interval), Cancellation).ConfigureAwait(false);
            checks = await repo.ChecksAsync(pr, Cancellation).ConfigureAwait(false);
        }

        foreach (var check in checks)
        {
            io.Out.WriteLine($"{check.State,-11} {check.Name}  {check.Url}".TrimEnd());
        }

        io.Error.WriteLine($"bb: #{pr.Id}: {Summary(checks)}");
        return checks.All(c => c.Passed) ? ExitCodes.Ok : ExitCodes.Error;
    }

    [Command("checkout", Description = "Fetch a pull request's source branch (forks too; Data Center: refs/pull-requests/ID/from) into a local branch and switch to it. Example: bb prs checkout 7")]
    public async Task<int> Checkout(
        [Argument("id", Description = "Pull request ID")] string id,
        CommonOptions common = null!)
    {
        using var repo = Open(common);
        var pr = await FindAsync(repo, id).ConfigureAwait(false);
        if (pr.Source.Length == 0)
        {
            throw new CliException($"pull request #{pr.Id} names no source branch");
        }

        var remote = RemoteName(repo);
        string from;
        string fetchRef;
        if (!repo.IsCloud)
        {
            from = remote;
            fetchRef = $"refs/pull-requests/{pr.Id}/from";
        }
        else if (pr.SourceRepository is { } source && !string.Equals(source, repo.Owner + "/" + repo.Repo, StringComparison.OrdinalIgnoreCase))
        {
            // A fork: fetch from the fork's URL in the shape of this checkout's remote.
            from = ForkUrl(repo, source);
            fetchRef = "refs/heads/" + pr.Source;
        }
        else
        {
            from = remote;
            fetchRef = "refs/heads/" + pr.Source;
        }

        var ct = Cancellation;
        await repo.Git.OutputAsync(["fetch", "--quiet", from, fetchRef], ct).ConfigureAwait(false);
        var exists = (await repo.Git.RunAsync(["rev-parse", "--verify", "--quiet", "refs/heads/" + pr.Source], ct).ConfigureAwait(false)).Ok;
        if (exists)
        {
            await repo.Git.OutputAsync(["checkout", "--quiet", pr.Source], ct).ConfigureAwait(false);
            await repo.Git.OutputAsync(["merge", "--quiet", "--ff-only", "FETCH_HEAD"], ct).ConfigureAwait(false);
        }
        else
        {
            await repo.Git.OutputAsync(["checkout", "--quiet", "-b", pr.Source, "FETCH_HEAD"], ct).ConfigureAwait(false);
        }

        io.Error.WriteLine($"bb: switched to {pr.Source} (pull request #{pr.Id})");
        return ExitCodes.Ok;
    }

    [Command("status", Description = "The current branch's pull request, the open ones you created, and those waiting for your review. Example: bb prs status")]
    public async Task<int> Status(CommonOptions common = null!)
    {
        using var repo = Open(common);
        var ct = Cancellation;
        var branch = await CurrentBranchAsync(repo.Git, ct).ConfigureAwait(false);
        var o = io.Out;
        o.WriteLine($"Current branch ({branch ?? "detached HEAD"}):");
        var current = branch is null ? null : await repo.PullRequestForBranchAsync(branch, ct).ConfigureAwait(false);
        o.WriteLine(current is null ? "  no open pull request" : Line(current));

        var (mine, review) = await PrsStatusLists.ReadAsync(repo, ct).ConfigureAwait(false);
        o.WriteLine();
        o.WriteLine("Created by you:");
        WriteList(mine);
        o.WriteLine();
        o.WriteLine("Waiting for your review:");
        WriteList(review);
        return ExitCodes.Ok;

        void WriteList(IReadOnlyList<PullRequestView> list)
        {
            if (list.Count == 0)
            {
                o.WriteLine("  none");
            }

            foreach (var pr in list)
            {
                o.WriteLine(Line(pr));
            }
        }
    }

    [Hidden]
    [Command(CreateFromBranch, Description = "Create a pull request from the current branch (bb prs create without -f/-F/--input). Example: bb prs create --fill --reviewer bob")]
    public async Task<int> Create(
        [Option("title", Description = "Title (default with --fill: from the commits)", ValueName = "TEXT")] string? title = null,
        [Option("description", Description = "Description (default with --fill: from the commits)", ValueName = "TEXT")] string? description = null,
        [Option("fill", Description = "Take the title and description from the branch's commits")] bool fill = false,
        [Option("base", Description = "Branch to merge into (default: the repository's main branch)", ValueName = "BRANCH")] string? baseBranch = null,
        [Option("reviewer", Description = "Add a reviewer (Cloud: account ID or {UUID}; Data Center: user name); repeatable", ValueName = "USER")] string[]? reviewers = null,
        [Option("draft", Description = "Open it as a draft (Cloud; Data Center 8.18 and later)")] bool draft = false,
        [Option("web", Description = "Open the page that starts this pull request in the browser instead")] bool web = false,
        [Option("no-browser", Description = "With --web: print the page's URL instead of opening it")] bool noBrowser = false,
        CommonOptions common = null!)
    {
        using var repo = Open(common);
        var ct = Cancellation;
        var branch = await CurrentBranchAsync(repo.Git, ct).ConfigureAwait(false)
            ?? throw new CliException("HEAD is detached: switch to the branch the pull request is from");
        var remote = RemoteName(repo);
        if (!(await repo.Git.RunAsync(["rev-parse", "--verify", "--quiet", $"refs/remotes/{remote}/{branch}"], ct).ConfigureAwait(false)).Ok)
        {
            throw new CliException($"branch {branch} is not pushed to {remote}; push it first: git push -u {remote} {branch}");
        }

        var destination = baseBranch ?? await repo.MainBranchAsync(ct).ConfigureAwait(false);
        if (web)
        {
            return Open(PrsWeb.Compare(repo.WebUrl, repo.Flavor, repo.Owner, repo.Repo, branch, destination), noBrowser);
        }

        if (fill)
        {
            var (filledTitle, filledDescription) = await FillAsync(repo.Git, remote, destination, ct).ConfigureAwait(false);
            title ??= filledTitle;
            description ??= filledDescription;
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            throw new UsageException("give --title TEXT or --fill (bb prs create does not prompt)");
        }

        var body = PrsRepository.Body(w =>
        {
            w.WriteString("title", title);
            w.WriteString("description", description ?? string.Empty);
            if (draft)
            {
                w.WriteBoolean("draft", true);
            }

            if (repo.IsCloud)
            {
                w.WriteStartObject("source");
                w.WriteStartObject("branch");
                w.WriteString("name", branch);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("destination");
                w.WriteStartObject("branch");
                w.WriteString("name", destination);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartArray("reviewers");
                foreach (var r in reviewers ?? [])
                {
                    w.WriteStartObject();
                    w.WriteString(r.StartsWith('{') ? "uuid" : "account_id", r);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
            else
            {
                foreach (var (side, name) in new[] { ("fromRef", branch), ("toRef", destination) })
                {
                    w.WriteStartObject(side);
                    w.WriteString("id", "refs/heads/" + name);
                    w.WriteStartObject("repository");
                    w.WriteString("slug", repo.Repo);
                    w.WriteStartObject("project");
                    w.WriteString("key", repo.Owner);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteStartArray("reviewers");
                foreach (var r in reviewers ?? [])
                {
                    w.WriteStartObject();
                    w.WriteStartObject("user");
                    w.WriteString("name", r);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
        });

        using var created = repo.IsCloud
            ? await repo.JsonAsync((api, c) => api.PrsCreate(repo.Owner, repo.Repo, body, c), ct).ConfigureAwait(false)
            : await repo.JsonAsync((api, c) => api.DataCenterPrsCreate(repo.Owner, repo.Repo, body, c), ct).ConfigureAwait(false);
        var pr = PullRequestView.Read(created.RootElement, repo.Flavor);
        io.Out.WriteLine($"#{pr.Id} {pr.Title}");
        io.Out.WriteLine(pr.Link ?? PrsWeb.PullRequest(repo.WebUrl, repo.Flavor, repo.Owner, repo.Repo, pr.Id));
        return ExitCodes.Ok;
    }

    private async Task<PullRequestView> FindAsync(PrsRepository repo, string? id)
    {
        if (id is not null)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new UsageException($"'{id}' is not a pull request ID (a number)");
            }

            return await repo.PullRequestAsync(id, Cancellation).ConfigureAwait(false);
        }

        var branch = await CurrentBranchAsync(repo.Git, Cancellation).ConfigureAwait(false)
            ?? throw new UsageException("HEAD is detached: give the pull request ID");
        return await repo.PullRequestForBranchAsync(branch, Cancellation).ConfigureAwait(false)
            ?? throw new CliException($"no open pull request from {branch} in {repo.Owner}/{repo.Repo}; give its ID");
    }

    /// <summary>The checked-out branch, or null when HEAD is detached or there is no checkout.</summary>
    internal static async Task<string?> CurrentBranchAsync(GitRunner git, CancellationToken ct)
    {
        var result = await git.RunAsync(["symbolic-ref", "--quiet", "--short", "HEAD"], ct).ConfigureAwait(false);
        return result.Ok && result.FirstLine.Length > 0 ? result.FirstLine : null;
    }

    /// <summary>The name of the remote that holds the repository (origin first), for fetches and the pushed-branch check.</summary>
    private static string RemoteName(PrsRepository repo)
    {
        var remotes = RepoContext.Remotes(repo.Git).Where(r => r.Repository is { } named
            && string.Equals(named.Owner, repo.Owner, StringComparison.OrdinalIgnoreCase)
            && string.Equals(named.Repo, repo.Repo, StringComparison.OrdinalIgnoreCase)).Select(r => r.Name).ToList();
        return remotes.Contains("origin") ? "origin"
            : remotes.FirstOrDefault() ?? throw new CliException($"no git remote of this checkout is {repo.Owner}/{repo.Repo}; add one (git remote add origin URL)");
    }

    private static string ForkUrl(PrsRepository repo, string fork)
    {
        var remote = repo.Target.Remote ?? RepoContext.FromGit(repo.Git)
            ?? throw new CliException("the pull request comes from a fork, and this checkout has no Bitbucket remote to derive its URL from");
        var port = remote.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty;
        return remote.Scheme == "ssh"
            ? $"ssh://git@{remote.Host}{port}/{fork}.git"
            : $"{remote.Scheme}://{remote.Host}{port}{remote.ContextPath}/{fork}.git";
    }

    /// <summary>One commit: its subject and body. Several: the oldest subject, and every subject as a list.</summary>
    private static async Task<(string Title, string Description)> FillAsync(GitRunner git, string remote, string destination, CancellationToken ct)
    {
        var baseRef = $"refs/remotes/{remote}/{destination}";
        var range = (await git.RunAsync(["rev-parse", "--verify", "--quiet", baseRef], ct).ConfigureAwait(false)).Ok ? baseRef + "..HEAD" : "-1";
        var log = await git.OutputAsync(["log", "--reverse", "--format=%s%x1f%b%x1e", range], ct).ConfigureAwait(false);
        var commits = log.Split('\x1e', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Trim('\n', '\r'))
            .Where(c => c.Length > 0)
            .Select(c => c.Split('\x1f', 2))
            .Select(p => (Subject: p[0].Trim(), Body: p.Length > 1 ? p[1].Trim() : string.Empty))
            .ToList();
        if (commits.Count == 0)
        {
            throw new CliException($"the branch has no commits that {destination} does not have");
        }

        return commits.Count == 1
            ? (commits[0].Subject, commits[0].Body)
            : (commits[0].Subject, string.Join('\n', commits.Select(c => "- " + c.Subject)));
    }

    private int Open(string url, bool noBrowser)
    {
        if (noBrowser || !BrowserLauncher.TryOpen(url, io.Environment))
        {
            io.Out.WriteLine(url);
        }

        return ExitCodes.Ok;
    }

    private static string Line(PullRequestView pr) => $"  #{pr.Id} {pr.Title} [{pr.Source} -> {pr.Destination}] {pr.State}";

    private static string Summary(IReadOnlyList<BuildCheck> checks)
        => checks.Count == 0
            ? "no build statuses"
            : $"{checks.Count(c => c.Passed)} passed, {checks.Count(c => c.Failed)} failed, {checks.Count(c => c.Pending)} in progress";
}
