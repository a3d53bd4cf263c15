using System.Text.Json;
using Bitbucket.Cli.Api;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Git;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;
using Cocona;
using Cocona.Application;

namespace Bitbucket.Cli.Commands;

/// <summary><c>bb repos clone WS/REPO [DIR]</c>: git clone with the clone URL the API reports for the repository.</summary>
internal sealed class ReposCloneCommand(ApiSessions sessions, IRefitClientFactory<IBitbucketApi> clients, ConsoleIO io, ICoconaAppContextAccessor context)
{
    [Command("clone", Description = "Clone a repository with the URL the API reports (HTTPS; --ssh for SSH). Example: bb repos clone myteam/api --ssh")]
    public async Task<int> Clone(
        [Argument("repository", Description = "WORKSPACE/REPO (Data Center: PROJECT/REPO)")] string repository,
        [Argument("directory", Description = "Directory to clone into (default: git's choice, the repository's name)")] string? directory = null,
        [Option("ssh", Description = "Use the SSH clone URL")] bool ssh = false,
        CommonOptions common = null!)
    {
        var ct = context.Current?.CancellationToken ?? CancellationToken.None;
        var (owner, repo) = RepoContext.ParseFullName(repository, "the repository");
        using var session = sessions.Open(CommandSetup.Session(common, io));
        var api = clients.Create(session.Http);
        using var response = await HttpBodies.LabelFailuresAsync(session.Http.BaseAddress!, () => session.Host.Flavor == ApiFlavor.Cloud
            ? api.ReposGet(owner, repo, ct)
            : api.DataCenterReposGet(owner, repo, ct)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await HttpBodies.ApiErrorAsync(response, ct).ConfigureAwait(false);
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
        var url = CloneUrl(json.RootElement, ssh) ?? throw new CliException($"the API reports no {(ssh ? "SSH" : "HTTPS")} clone URL for {owner}/{repo}");
        List<string> args = ["clone", "--quiet", url];
        if (directory is not null)
        {
            args.Add(directory);
        }

        await new GitRunner().OutputAsync(args, ct).ConfigureAwait(false);
        io.Error.WriteLine($"bb: cloned {owner}/{repo} from {RemoteUrl.Redact(url)}");
        return ExitCodes.Ok;
    }

    /// <summary><c>links.clone[]</c>: name <c>ssh</c>, else <c>https</c> or <c>http</c>.</summary>
    internal static string? CloneUrl(JsonElement repo, bool ssh)
    {
        if (!repo.TryGetProperty("links", out var links) || !links.TryGetProperty("clone", out var clone) || clone.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return clone.EnumerateArray()
            .Select(l => (Name: PrsRepository.Str(l, "name"), Href: PrsRepository.Str(l, "href")))
            .Where(l => l.Href is not null && (ssh ? l.Name == "ssh" : l.Name is "https" or "http"))
            .Select(l => l.Href)
            .FirstOrDefault();
    }
}
