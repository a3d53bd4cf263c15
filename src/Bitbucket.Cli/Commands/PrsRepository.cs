using System.Text.Json;
using Bitbucket.Cli.Api;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Git;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Commands;

/// <summary>
/// One repository on one host, for the hand-written daily verbs: the coordinates (<c>-R</c>, <c>BB_REPO</c>
/// or the git remote), the signed session, and the generated client (<see cref="IBitbucketApi"/>) whose
/// answers the verbs read as JSON. Both flavours: each call says what it does on Cloud and on Data Center.
/// </summary>
internal sealed class PrsRepository : IDisposable
{
    private readonly ApiSession session;

    private PrsRepository(ApiSession session, IBitbucketApi api, RepoTarget target, GitRunner git)
    {
        this.session = session;
        Api = api;
        Target = target;
        Git = git;
    }

    public IBitbucketApi Api { get; }

    public RepoTarget Target { get; }

    public GitRunner Git { get; }

    public ApiFlavor Flavor => session.Host.Flavor;

    public bool IsCloud => Flavor == ApiFlavor.Cloud;

    public string Owner => Target.Owner;

    public string Repo => Target.Repo;

    /// <summary>The web origin of the host: Cloud's API at <c>api.X</c> has its pages at <c>X</c>; a Data Center API URL is its web URL.</summary>
    public string WebUrl => PrsWeb.WebBase(session.Host.ApiUrl, Flavor);

    public static PrsRepository Open(ApiSessions sessions, IRefitClientFactory<IBitbucketApi> clients, ConsoleIO io, CommonOptions common)
    {
        var git = new GitRunner();
        var session = sessions.Open(CommandSetup.Session(common, io));
        try
        {
            var target = Locate(common.Repo, io, git, session.Host.HostName, session.Host.ApiUrl);
            return new PrsRepository(session, clients.Create(session.Http), target, git);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary><c>-R</c>, else <c>BB_REPO</c>, else the git remote, which must live on the host the session talks to.</summary>
    public static RepoTarget Locate(string? repoOption, ConsoleIO io, GitRunner git, string hostName, string apiUrl)
    {
        if (EnvironmentVariables.NullIfEmpty(repoOption) is { } option)
        {
            var (owner, repo) = RepoContext.ParseFullName(option, "-R/--repo");
            return new RepoTarget(owner, repo, RepoSource.Option);
        }

        if (io.Env(RepoContext.RepoVariable) is { } variable)
        {
            var (owner, repo) = RepoContext.ParseFullName(variable, RepoContext.RepoVariable);
            return new RepoTarget(owner, repo, RepoSource.Environment);
        }

        if (RepoContext.FromGit(git) is not { } remote)
        {
            throw new UsageException("no repository: run this inside a clone of a Bitbucket repository, or give -R WORKSPACE/REPO");
        }

        if (!RepoContext.Serves(apiUrl, remote))
        {
            throw new UsageException($"the git remote names {remote}, which is not on host {hostName} ({apiUrl}); choose its host with --host, or give -R WORKSPACE/REPO");
        }

        return new RepoTarget(remote.Owner, remote.Repo, RepoSource.GitRemote, remote, hostName);
    }

    /// <summary>Calls the generated client and reads a successful answer as JSON; an error answer is the usual one line and exit code.</summary>
    public async Task<JsonDocument> JsonAsync(Func<IBitbucketApi, CancellationToken, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        using var response = await HttpBodies.LabelFailuresAsync(session.Http.BaseAddress!, () => call(Api, ct)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await HttpBodies.ApiErrorAsync(response, ct).ConfigureAwait(false);
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Sends a JSON body through the generated client.</summary>
    public static HttpContent Body(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public async Task<PullRequestView> PullRequestAsync(string id, CancellationToken ct)
    {
        using var json = IsCloud
            ? await JsonAsync((api, c) => api.PrsGet(Owner, Repo, id, c), ct).ConfigureAwait(false)
            : await JsonAsync((api, c) => api.DataCenterPrsGet(Owner, Repo, id, c), ct).ConfigureAwait(false);
        return PullRequestView.Read(json.RootElement, Flavor);
    }

    /// <summary>The open pull request whose source is <paramref name="branch"/>, or null.</summary>
    public async Task<PullRequestView?> PullRequestForBranchAsync(string branch, CancellationToken ct)
    {
        if (IsCloud)
        {
            var q = $"source.branch.name = \"{branch.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
            using var page = await JsonAsync((api, c) => api.PrsList(Owner, Repo, "OPEN", q, null, null, c), ct).ConfigureAwait(false);
            return page.RootElement.TryGetProperty("values", out var values)
                ? values.EnumerateArray().Select(v => PullRequestView.Read(v, Flavor)).FirstOrDefault(p => p.Source == branch)
                : null;
        }

        using var dc = await JsonAsync((api, c) => api.DataCenterPrsList(Owner, Repo, "OPEN", "OUTGOING", "refs/heads/" + branch, null, null, null, null, null, null, c), ct).ConfigureAwait(false);
        return dc.RootElement.TryGetProperty("values", out var dcValues)
            ? dcValues.EnumerateArray().Select(v => PullRequestView.Read(v, Flavor)).FirstOrDefault(p => p.Source == branch)
            : null;
    }

    /// <summary>Build statuses of a pull request's head commit: Cloud asks the pull request, Data Center the commit.</summary>
    public async Task<IReadOnlyList<BuildCheck>> ChecksAsync(PullRequestView pr, CancellationToken ct)
    {
        var id = pr.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var json = IsCloud
            ? await JsonAsync((api, c) => api.PrsStatuses(Owner, Repo, id, null, null, c), ct).ConfigureAwait(false)
            : pr.SourceCommit is { } commit
                ? await JsonAsync((api, c) => api.DataCenterStatusesList(commit, null, null, c), ct).ConfigureAwait(false)
                : null;
        if (json is null || !json.RootElement.TryGetProperty("values", out var values))
        {
            return [];
        }

        return values.EnumerateArray().Select(v => new BuildCheck(
            Str(v, "key") ?? "",
            Str(v, "name") ?? Str(v, "key") ?? "",
            (Str(v, "state") ?? "UNKNOWN").ToUpperInvariant(),
            Str(v, "url") ?? "")).ToList();
    }

    /// <summary>The repository's main branch: Cloud's <c>mainbranch</c>, Data Center's default branch.</summary>
    public async Task<string> MainBranchAsync(CancellationToken ct)
    {
        if (IsCloud)
        {
            using var repo = await JsonAsync((api, c) => api.ReposGet(Owner, Repo, c), ct).ConfigureAwait(false);
            return Str(repo.RootElement, "mainbranch", "name") ?? throw new CliException($"{Owner}/{Repo} has no main branch");
        }

        using var branch = await JsonAsync((api, c) => api.DataCenterBranchesDefault(Owner, Repo, c), ct).ConfigureAwait(false);
        return Str(branch.RootElement, "displayId") ?? throw new CliException($"{Owner}/{Repo} has no default branch");
    }

    public void Dispose() => session.Dispose();

    internal static string? Str(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }
}

/// <summary>One build status: <c>SUCCESSFUL</c>, <c>FAILED</c>, <c>INPROGRESS</c>, <c>STOPPED</c>, <c>CANCELLED</c>…</summary>
internal sealed record BuildCheck(string Key, string Name, string State, string Url)
{
    public bool Passed => State == "SUCCESSFUL";

    public bool Pending => State is "INPROGRESS" or "PENDING";

    public bool Failed => !Passed && !Pending;
}

/// <summary>What the verbs show of a pull request, read from either flavour's shape.</summary>
internal sealed record PullRequestView(
    long Id,
    string Title,
    string State,
    string Author,
    string Source,
    string Destination,
    string? SourceCommit,
    string? SourceRepository,
    string Description,
    string? Link,
    IReadOnlyList<(string Name, string Status)> Reviewers)
{
    public static PullRequestView Read(JsonElement pr, ApiFlavor flavor)
    {
        var s = PrsRepository.Str;
        var id = pr.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var n) ? n : 0;
        if (flavor == ApiFlavor.Cloud)
        {
            var reviewers = new List<(string, string)>();
            if (pr.TryGetProperty("participants", out var participants) && participants.ValueKind == JsonValueKind.Array)
            {
                foreach (var p in participants.EnumerateArray())
                {
                    var role = s(p, "role");
                    var approved = p.TryGetProperty("approved", out var a) && a.ValueKind == JsonValueKind.True;
                    if (role == "REVIEWER" || approved)
                    {
                        reviewers.Add((s(p, "user", "display_name") ?? s(p, "user", "nickname") ?? "?", approved ? "APPROVED" : (s(p, "state") ?? "UNAPPROVED").ToUpperInvariant()));
                    }
                }
            }

            return new PullRequestView(
                id,
                s(pr, "title") ?? "",
                s(pr, "state") ?? "",
                s(pr, "author", "display_name") ?? s(pr, "author", "nickname") ?? "",
                s(pr, "source", "branch", "name") ?? "",
                s(pr, "destination", "branch", "name") ?? "",
                s(pr, "source", "commit", "hash"),
                s(pr, "source", "repository", "full_name"),
                s(pr, "description") ?? "",
                s(pr, "links", "html", "href"),
                reviewers);
        }

        var dcReviewers = new List<(string, string)>();
        if (pr.TryGetProperty("reviewers", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in list.EnumerateArray())
            {
                dcReviewers.Add((s(r, "user", "displayName") ?? s(r, "user", "name") ?? "?", s(r, "status") ?? "UNAPPROVED"));
            }
        }

        string? link = null;
        if (pr.TryGetProperty("links", out var links) && links.TryGetProperty("self", out var self) && self.ValueKind == JsonValueKind.Array)
        {
            link = self.EnumerateArray().Select(l => s(l, "href")).FirstOrDefault(h => h is not null);
        }

        var project = s(pr, "fromRef", "repository", "project", "key");
        var slug = s(pr, "fromRef", "repository", "slug");
        return new PullRequestView(
            id,
            s(pr, "title") ?? "",
            s(pr, "state") ?? "",
            s(pr, "author", "user", "displayName") ?? s(pr, "author", "user", "name") ?? "",
            s(pr, "fromRef", "displayId") ?? "",
            s(pr, "toRef", "displayId") ?? "",
            s(pr, "fromRef", "latestCommit"),
            project is null || slug is null ? null : project + "/" + slug,
            s(pr, "description") ?? "",
            link,
            dcReviewers);
    }
}
