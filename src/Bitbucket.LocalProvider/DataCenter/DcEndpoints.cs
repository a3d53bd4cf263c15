using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.LocalProvider.Api;
using Bitbucket.LocalProvider.OAuth;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>
/// The Data Center flavour's routes, all under the context path: the OAuth servlet, application
/// properties, whoami, the core REST API under <c>/rest/api/1.0</c> and <c>/rest/api/latest</c>, and the
/// branch-utils and build-status plugins. Everything but application properties needs an access token.
/// </summary>
internal sealed partial class DcEndpoints(ProviderServices services, DcData data)
{
    private static readonly string[] Versions = ["1.0", "latest"];
    private static readonly string[] PullRequestStates = ["OPEN", "MERGED", "DECLINED", "ALL"];
    private static readonly string[] BuildStates = ["SUCCESSFUL", "FAILED", "INPROGRESS", "CANCELLED", "UNKNOWN"];
    private static readonly string[] ParticipantStates = ["APPROVED", "NEEDS_WORK", "UNAPPROVED"];

    private const string RepoPath = "/projects/{projectKey}/repos/{repositorySlug}";
    private const string PrPath = RepoPath + "/pull-requests/{id:int}";

    /// <summary>What <c>GET …/application-properties</c> reports; a client recognises Data Center by it.</summary>
    public const string Version = "9.2.0";

    public static void Map(IEndpointRouteBuilder root, ProviderServices services)
    {
        var api = new DcEndpoints(services, services.DataCenter!);
        OAuthEndpoints.MapServlet(root, services);
        root.MapGet("/plugins/servlet/applinks/whoami", (HttpContext c) => api.WhoAmI(c));

        foreach (var version in Versions)
        {
            root.MapGet($"/rest/api/{version}/application-properties", () => new JsonNodeResult(new JsonObject
            {
                ["version"] = Version,
                ["buildNumber"] = "9002000",
                ["buildDate"] = "1719878400000",
                ["displayName"] = "Bitbucket",
            }));

            var rest = root.MapGroup($"/rest/api/{version}").AddEndpointFilter(api.Protect);
            rest.MapGet("/projects", (HttpContext c) => api.Locked(() => api.Projects(c)));
            rest.MapGet("/projects/{projectKey}", (HttpContext c, string projectKey) => api.Locked(() => api.Project(c, projectKey)));
            rest.MapGet("/projects/{projectKey}/repos", (HttpContext c, string projectKey) => api.Locked(() => api.Repositories(c, projectKey)));
            rest.MapPost("/projects/{projectKey}/repos", (HttpContext c, string projectKey) => api.Locked(() => api.CreateRepository(c, projectKey)));
            rest.MapGet(RepoPath, (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.Repository(c, projectKey, repositorySlug)));
            rest.MapDelete(RepoPath, (string projectKey, string repositorySlug) => api.Locked(() => api.DeleteRepository(projectKey, repositorySlug)));
            rest.MapGet(RepoPath + "/branches", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.Branches(c, projectKey, repositorySlug)));
            rest.MapPost(RepoPath + "/branches", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.CreateBranch(c, projectKey, repositorySlug, StatusCodes.Status200OK)));
            rest.MapGet(RepoPath + "/branches/default", (string projectKey, string repositorySlug) => api.Locked(() => api.DefaultBranch(projectKey, repositorySlug)));
            rest.MapPut(RepoPath + "/branches/default", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.SetDefaultBranch(c, projectKey, repositorySlug)));
            rest.MapGet(RepoPath + "/tags", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.Tags(c, projectKey, repositorySlug)));
            rest.MapGet(RepoPath + "/commits", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.Commits(c, projectKey, repositorySlug)));
            rest.MapGet(RepoPath + "/commits/{commitId}", (string projectKey, string repositorySlug, string commitId) => api.Locked(() => api.Commit(projectKey, repositorySlug, commitId)));
            rest.MapGet(RepoPath + "/pull-requests", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.PullRequests(c, projectKey, repositorySlug)));
            rest.MapPost(RepoPath + "/pull-requests", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.CreatePullRequest(c, projectKey, repositorySlug)));
            rest.MapGet(PrPath, (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (r, pr) => api.PullRequestResult(c, r, pr)));
            rest.MapPut(PrPath, (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (r, pr) => api.UpdatePullRequest(c, r, pr)));
            rest.MapGet(PrPath + "/merge", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => CanMerge(pr)));
            rest.MapPost(PrPath + "/merge", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (r, pr) => api.Transition(c, r, pr, "OPEN", "MERGED", "MERGED")));
            rest.MapPost(PrPath + "/decline", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (r, pr) => api.Transition(c, r, pr, "OPEN", "DECLINED", "DECLINED")));
            rest.MapPost(PrPath + "/reopen", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (r, pr) => api.Transition(c, r, pr, "DECLINED", "OPEN", "REOPENED")));
            rest.MapPost(PrPath + "/approve", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => api.SetStatus(c, pr, "APPROVED")));
            rest.MapDelete(PrPath + "/approve", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => api.SetStatus(c, pr, "UNAPPROVED")));
            rest.MapPut(PrPath + "/participants/{userSlug}", (HttpContext c, string projectKey, string repositorySlug, int id, string userSlug) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => api.UpdateParticipant(c, pr, userSlug)));
            rest.MapGet(PrPath + "/comments", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => api.Comments(c, pr)));
            rest.MapPost(PrPath + "/comments", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => api.AddComment(c, pr)));
            rest.MapGet(PrPath + "/activities", (HttpContext c, string projectKey, string repositorySlug, int id) => api.WithPullRequest(c, projectKey, repositorySlug, id, (_, pr) => api.Activities(c, pr)));

            var branchUtils = root.MapGroup($"/rest/branch-utils/{version}").AddEndpointFilter(api.Protect);
            branchUtils.MapPost(RepoPath + "/branches", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.CreateBranch(c, projectKey, repositorySlug, StatusCodes.Status201Created)));
            branchUtils.MapDelete(RepoPath + "/branches", (HttpContext c, string projectKey, string repositorySlug) => api.Locked(() => api.DeleteBranch(c, projectKey, repositorySlug)));

            var buildStatus = root.MapGroup($"/rest/build-status/{version}").AddEndpointFilter(api.Protect);
            buildStatus.MapGet("/commits/{commitId}", (HttpContext c, string commitId) => api.Locked(() => api.BuildStatuses(c, commitId)));
            buildStatus.MapPost("/commits/{commitId}", (HttpContext c, string commitId) => api.Locked(() => api.AddBuildStatus(c, commitId)));
        }
    }

    /// <summary>The request's origin and the context path: the root of every link.</summary>
    private string BaseUrl(HttpContext context) => RequestTarget.Origin(context) + services.Options.ContextPath;

    private IResult Locked(Func<IResult> handler)
    {
        lock (data.Sync)
        {
            return handler();
        }
    }

    /// <summary>OAuth first (RFC 5849 §3.2), then any failure injected by the fail-next test hook.</summary>
    private async ValueTask<object?> Protect(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!services.Verifier.TryVerify(http, TokenRequirement.AccessToken, out _, out var failure))
        {
            var message = "OAuth: " + failure.Reason + (failure.Detail is null ? "" : $" ({failure.Detail})");
            var refused = DcError.Result(failure.StatusCode, message);
            if (failure.StatusCode == StatusCodes.Status401Unauthorized)
            {
                refused.Headers.Add(new("WWW-Authenticate", OAuthEndpoints.Challenge(http, services, failure)));
            }

            return refused;
        }

        if (services.Hooks.TakeFailure((status, text) => DcError.Result(status, text)) is { } injected)
        {
            return injected;
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The application-links whoami: the user name as plain text, 401 without a valid access token.</summary>
    private IResult WhoAmI(HttpContext context)
    {
        if (!services.Verifier.TryVerify(context, TokenRequirement.AccessToken, out var verified, out var failure))
        {
            return OAuthEndpoints.RefuseWithProblem(context, services, failure);
        }

        return new TextResult(StatusCodes.Status200OK, verified.AccessToken!.Username);
    }

    private IResult Projects(HttpContext context)
    {
        var name = context.Request.Query["name"].ToString();
        var projects = data.Projects
            .Where(p => !p.Personal && p.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return DcPaging.Page(context, projects, p => DcShapes.Project(p, data.User, BaseUrl(context)));
    }

    private IResult Project(HttpContext context, string projectKey) =>
        FindProject(projectKey, out var project) ?? new JsonNodeResult(DcShapes.Project(project, data.User, BaseUrl(context)));

    private IResult Repositories(HttpContext context, string projectKey)
    {
        if (FindProject(projectKey, out var project) is { } notFound)
        {
            return notFound;
        }

        var repositories = data.RepositoriesOf(project).OrderBy(r => r.Slug, StringComparer.OrdinalIgnoreCase).ToList();
        return DcPaging.Page(context, repositories, r => DcShapes.Repository(r, data.User, BaseUrl(context)));
    }

    private IResult Repository(HttpContext context, string projectKey, string slug) =>
        FindRepository(projectKey, slug, out var repository) ?? new JsonNodeResult(DcShapes.Repository(repository, data.User, BaseUrl(context)));

    private IResult CreateRepository(HttpContext context, string projectKey)
    {
        if (FindProject(projectKey, out var project) is { } notFound)
        {
            return notFound;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var name = Text(body, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return DcError.Field("name", "A repository name is required.");
        }

        var scm = Text(body, "scmId") ?? "git";
        if (scm != "git")
        {
            return DcError.Field("scmId", $"Only git repositories can be created, not {scm}.");
        }

        var slug = SlugChars().Replace(name.Trim().ToLowerInvariant(), "-");
        if (data.FindRepository(project, slug) is not null)
        {
            return DcError.Result(StatusCodes.Status409Conflict, $"A repository named {name} already exists in project {project.Key}.", context: "name");
        }

        var repository = new DcRepository
        {
            Id = data.NextRepositoryId++,
            Project = project,
            Slug = slug,
            Name = name,
            Description = Text(body, "description") ?? "",
            Public = body["public"] is JsonValue v && v.TryGetValue<bool>(out var isPublic) && isPublic,
            DefaultBranch = Text(body, "defaultBranch") ?? "main",
        };
        data.Repositories.Add(repository);
        return new JsonNodeResult(DcShapes.Repository(repository, data.User, BaseUrl(context)), StatusCodes.Status201Created);
    }

    /// <summary>Data Center schedules the deletion (202); a repository that does not exist answers 204.</summary>
    private IResult DeleteRepository(string projectKey, string slug)
    {
        if (FindProject(projectKey, out var project) is { } notFound)
        {
            return notFound;
        }

        if (data.FindRepository(project, slug) is not { } repository)
        {
            return Results.NoContent();
        }

        data.Repositories.Remove(repository);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private IResult Branches(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        var branches = Filter(context, repository.Branches)
            .OrderByDescending(b => b.Name == repository.DefaultBranch)
            .ToList();
        return DcPaging.Page(context, Order(context, branches), b => DcShapes.Branch(repository, b));
    }

    private IResult Tags(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        return DcPaging.Page(context, Order(context, Filter(context, repository.Tags).ToList()), DcShapes.Tag);
    }

    private static IEnumerable<DcRef> Filter(HttpContext context, IEnumerable<DcRef> refs)
    {
        var filter = context.Request.Query["filterText"].ToString();
        return refs.Where(r => r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>orderBy=ALPHABETICAL</c> sorts by name; otherwise the seeded order, default branch first.</summary>
    private static List<DcRef> Order(HttpContext context, List<DcRef> refs) =>
        string.Equals(context.Request.Query["orderBy"], "ALPHABETICAL", StringComparison.OrdinalIgnoreCase)
            ? refs.OrderBy(r => r.Name, StringComparer.Ordinal).ToList()
            : refs;

    private IResult CreateBranch(HttpContext context, string projectKey, string slug, int status)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var name = Text(body, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return DcError.Field("name", "A branch name is required.");
        }

        name = name.StartsWith(DcData.HeadsPrefix, StringComparison.Ordinal) ? name[DcData.HeadsPrefix.Length..] : name;
        if (repository.FindBranch(name) is not null)
        {
            return DcError.Result(StatusCodes.Status409Conflict, $"Branch {name} already exists in {repository.Project.Key}/{repository.Slug}.", context: "name");
        }

        var startPoint = Text(body, "startPoint");
        if (string.IsNullOrEmpty(startPoint) || repository.Resolve(startPoint) is not { } start)
        {
            return DcError.Field("startPoint", $"The start point {startPoint} is not a branch, tag or commit of {repository.Project.Key}/{repository.Slug}.");
        }

        var branch = new DcRef(name, start.Id);
        repository.Branches.Add(branch);
        return new JsonNodeResult(DcShapes.Branch(repository, branch), status);
    }

    private IResult DeleteBranch(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var name = Text(body, "name");
        if (string.IsNullOrEmpty(name))
        {
            return DcError.Field("name", "The name of the branch to delete is required.");
        }

        if (repository.FindBranch(name) is not { } branch)
        {
            return DcError.Result(StatusCodes.Status404NotFound, $"Branch {name} does not exist in {repository.Project.Key}/{repository.Slug}.", "com.atlassian.bitbucket.repository.NoSuchBranchException");
        }

        if (branch.Name == repository.DefaultBranch)
        {
            return DcError.Field("name", $"{branch.Name} is the default branch and cannot be deleted.");
        }

        var dryRun = body["dryRun"] is JsonValue v && v.TryGetValue<bool>(out var isDryRun) && isDryRun;
        if (!dryRun)
        {
            repository.Branches.Remove(branch);
        }

        return Results.NoContent();
    }

    /// <summary>The default branch; 204 while the repository has none (it is empty).</summary>
    private IResult DefaultBranch(string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        return repository.DefaultBranch is { } name && repository.FindBranch(name) is { } branch
            ? new JsonNodeResult(DcShapes.Branch(repository, branch))
            : Results.NoContent();
    }

    private IResult SetDefaultBranch(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        if (Text(body, "id") is not { } id || repository.FindBranch(id) is not { } branch)
        {
            return DcError.Field("id", "id must name an existing branch.");
        }

        repository.DefaultBranch = branch.Name;
        return Results.NoContent();
    }

    /// <summary>Newest first along first parents from <c>until</c> (default: the default branch), stopping at <c>since</c>.</summary>
    private IResult Commits(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        var query = context.Request.Query;
        var until = query["until"].ToString() is { Length: > 0 } u ? u : repository.DefaultBranch ?? "";
        if (repository.Resolve(until) is not { } tip)
        {
            return repository.Commits.Count == 0 && query["until"].Count == 0
                ? DcPaging.Page(context, Array.Empty<DcCommit>(), DcShapes.Commit)
                : DcError.Result(StatusCodes.Status404NotFound, $"{until} is not a branch, tag or commit of {repository.Project.Key}/{repository.Slug}.", "com.atlassian.bitbucket.commit.NoSuchCommitException");
        }

        var since = query["since"].ToString() is { Length: > 0 } s ? repository.Resolve(s)?.Id : null;
        var commits = new List<DcCommit>();
        for (var commit = tip; commit is not null && commit.Id != since;)
        {
            commits.Add(commit);
            commit = commit.Parents.Count > 0 ? repository.Commits.GetValueOrDefault(commit.Parents[0]) : null;
        }

        return DcPaging.Page(context, commits, DcShapes.Commit);
    }

    private IResult Commit(string projectKey, string slug, string commitId)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        return repository.FindCommit(commitId) is { } commit
            ? new JsonNodeResult(DcShapes.Commit(commit))
            : DcError.Result(StatusCodes.Status404NotFound, $"Commit {commitId} does not exist in {repository.Project.Key}/{repository.Slug}.", "com.atlassian.bitbucket.commit.NoSuchCommitException");
    }

    /// <summary><c>state</c> OPEN (default), MERGED, DECLINED or ALL; <c>filterText</c> in the title; <c>at</c> a ref on the <c>direction</c> side; newest first unless <c>order=OLDEST</c>.</summary>
    private IResult PullRequests(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        var query = context.Request.Query;
        var state = query["state"].ToString() is { Length: > 0 } given ? given.ToUpperInvariant() : "OPEN";
        if (!PullRequestStates.Contains(state))
        {
            return DcError.Field("state", $"state must be one of {string.Join(", ", PullRequestStates)}.");
        }

        var at = query["at"].ToString();
        var filter = query["filterText"].ToString();
        var outgoing = string.Equals(query["direction"], "OUTGOING", StringComparison.OrdinalIgnoreCase);
        var selected = repository.PullRequests
            .Where(p => state == "ALL" || p.State == state)
            .Where(p => p.Title.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .Where(p => at.Length == 0 || repository.FindBranch(at)?.Name == (outgoing ? p.FromBranch : p.ToBranch));
        var ordered = string.Equals(query["order"], "OLDEST", StringComparison.OrdinalIgnoreCase)
            ? selected.OrderBy(p => p.Id)
            : selected.OrderByDescending(p => p.Id);
        return DcPaging.Page(context, ordered.ToList(), p => DcShapes.PullRequest(repository, p, data.User, BaseUrl(context)));
    }

    private IResult CreatePullRequest(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var title = Text(body, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            return DcError.Field("title", "A pull request needs a title.");
        }

        foreach (var side in new[] { "fromRef", "toRef" })
        {
            var otherSlug = Text(body, side, "repository", "slug");
            var otherProject = Text(body, side, "repository", "project", "key");
            if ((otherSlug is not null && !string.Equals(otherSlug, repository.Slug, StringComparison.OrdinalIgnoreCase))
                || (otherProject is not null && !string.Equals(otherProject, repository.Project.Key, StringComparison.OrdinalIgnoreCase)))
            {
                return DcError.Field(side, $"{side} must be a branch of {repository.Project.Key}/{repository.Slug} (the local provider has no forks).");
            }
        }

        var fromId = Text(body, "fromRef", "id");
        if (fromId is null || repository.FindBranch(fromId) is not { } from)
        {
            return DcError.Field("fromRef", $"fromRef.id must name a branch of {repository.Project.Key}/{repository.Slug}, got {fromId ?? "nothing"}.");
        }

        var toId = Text(body, "toRef", "id") ?? repository.DefaultBranch ?? "";
        if (repository.FindBranch(toId) is not { } to)
        {
            return DcError.Field("toRef", $"toRef.id must name a branch of {repository.Project.Key}/{repository.Slug}, got {toId}.");
        }

        if (from == to)
        {
            return DcError.Field("toRef", "The source and target branches are the same.");
        }

        if (repository.PullRequests.FirstOrDefault(p => p.State == "OPEN" && p.FromBranch == from.Name && p.ToBranch == to.Name) is { } existing)
        {
            return DcError.Result(
                StatusCodes.Status409Conflict,
                $"Pull request {existing.Id} is already open from {from.Name} to {to.Name}.",
                "com.atlassian.bitbucket.pull.DuplicatePullRequestException");
        }

        // The provider has one user, who is the author; the author cannot also be a reviewer.
        if (body["reviewers"] is JsonArray { Count: > 0 } reviewers)
        {
            var name = reviewers[0] is JsonObject r ? Text(r, "user", "name") ?? Text(r, "user", "slug") : null;
            return string.Equals(name, data.User.Username, StringComparison.OrdinalIgnoreCase)
                ? DcError.Field("reviewers", "The author of a pull request cannot also review it.")
                : DcError.Field("reviewers", $"{name ?? "a reviewer without user.name"} is not a user of this server.");
        }

        var now = services.Options.TimeProvider.GetUtcNow();
        var pr = new DcPullRequest
        {
            Id = repository.PullRequests.Count == 0 ? 1 : repository.PullRequests.Max(p => p.Id) + 1,
            Title = title,
            Description = Text(body, "description") ?? "",
            FromBranch = from.Name,
            ToBranch = to.Name,
            Author = data.User.Username,
            Created = now,
            Updated = now,
        };
        pr.Participant(data.User.Username);
        pr.Record("OPENED", data.User.Username, now);
        repository.PullRequests.Add(pr);
        return new JsonNodeResult(DcShapes.PullRequest(repository, pr, data.User, BaseUrl(context)), StatusCodes.Status201Created);
    }

    /// <summary>Finds the pull request under the lock and runs <paramref name="handler"/> with it.</summary>
    private IResult WithPullRequest(HttpContext context, string projectKey, string slug, int id, Func<DcRepository, DcPullRequest, IResult> handler) =>
        Locked(() =>
        {
            if (FindRepository(projectKey, slug, out var repository) is { } notFound)
            {
                return notFound;
            }

            return repository.PullRequests.FirstOrDefault(p => p.Id == id) is { } pr
                ? handler(repository, pr)
                : DcError.Result(StatusCodes.Status404NotFound, $"Pull request {id} does not exist in {repository.Project.Key}/{repository.Slug}.", "com.atlassian.bitbucket.pull.NoSuchPullRequestException");
        });

    private IResult PullRequestResult(HttpContext context, DcRepository repository, DcPullRequest pr) =>
        new JsonNodeResult(DcShapes.PullRequest(repository, pr, data.User, BaseUrl(context)));

    /// <summary>
    /// Optimistic locking: a change names the version it was based on; a stale one is a 409, so two
    /// people cannot overwrite each other's edits unknowingly.
    /// </summary>
    private static IResult? CheckVersion(DcPullRequest pr, int? version)
    {
        if (version is null)
        {
            return DcError.Field("version", "The pull request's current version is required (version=N).");
        }

        if (version != pr.Version)
        {
            return DcError.Result(
                StatusCodes.Status409Conflict,
                $"Pull request {pr.Id} has changed since version {version}; it is now at version {pr.Version}. Reload it and try again.",
                DcError.OutOfDate);
        }

        return null;
    }

    private static int? QueryVersion(HttpContext context) =>
        int.TryParse(context.Request.Query["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    private IResult UpdatePullRequest(HttpContext context, DcRepository repository, DcPullRequest pr)
    {
        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        int? version = body["version"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        if (CheckVersion(pr, version) is { } stale)
        {
            return stale;
        }

        if (pr.State != "OPEN")
        {
            return NotOpen(pr, "updated");
        }

        if (Text(body, "toRef", "id") is { } toId)
        {
            if (repository.FindBranch(toId) is not { } to || to.Name == pr.FromBranch)
            {
                return DcError.Field("toRef", $"toRef.id must name another branch of {repository.Project.Key}/{repository.Slug}, got {toId}.");
            }

            pr.ToBranch = to.Name;
        }

        if (Text(body, "title") is { } title)
        {
            if (string.IsNullOrWhiteSpace(title))
            {
                return DcError.Field("title", "A pull request needs a title.");
            }

            pr.Title = title;
        }

        pr.Description = Text(body, "description") ?? pr.Description;
        Touch(pr, "UPDATED");
        return PullRequestResult(context, repository, pr);
    }

    private static IResult CanMerge(DcPullRequest pr) => new JsonNodeResult(new JsonObject
    {
        ["canMerge"] = pr.State == "OPEN",
        ["conflicted"] = false,
        ["outcome"] = "CLEAN",
        ["vetoes"] = new JsonArray(),
    });

    /// <summary>Merge, decline or reopen: <c>?version=N</c> must be current and the pull request in <paramref name="from"/>.</summary>
    private IResult Transition(HttpContext context, DcRepository repository, DcPullRequest pr, string from, string to, string action)
    {
        if (CheckVersion(pr, QueryVersion(context)) is { } stale)
        {
            return stale;
        }

        if (pr.State != from)
        {
            return DcError.Result(
                StatusCodes.Status409Conflict,
                $"Pull request {pr.Id} is {pr.State}; only a {from} pull request can be {to.ToLowerInvariant()}.",
                "com.atlassian.bitbucket.pull.IllegalPullRequestStateException");
        }

        if (to == "MERGED" && repository.FindBranch(pr.ToBranch) is { } target && repository.FindBranch(pr.FromBranch) is { } source)
        {
            var now = services.Options.TimeProvider.GetUtcNow();
            var merge = repository.AddCommit($"Merge pull request #{pr.Id}: {pr.Title}", now, data.User, target.LatestCommit, source.LatestCommit);
            target.LatestCommit = merge.Id;
        }

        pr.State = to;
        pr.Closed = to == "OPEN" ? null : services.Options.TimeProvider.GetUtcNow();
        Touch(pr, action);
        return PullRequestResult(context, repository, pr);
    }

    private void Touch(DcPullRequest pr, string action)
    {
        pr.Version++;
        pr.Updated = services.Options.TimeProvider.GetUtcNow();
        pr.Record(action, data.User.Username, pr.Updated);
    }

    private static JsonNodeResult NotOpen(DcPullRequest pr, string what) =>
        DcError.Result(StatusCodes.Status409Conflict, $"Pull request {pr.Id} is {pr.State} and cannot be {what}.", "com.atlassian.bitbucket.pull.IllegalPullRequestStateException");

    /// <summary>The signed-in user's review status; changing it does not change the pull request's version.</summary>
    private IResult SetStatus(HttpContext context, DcPullRequest pr, string status)
    {
        if (pr.State != "OPEN")
        {
            return NotOpen(pr, "reviewed");
        }

        var participant = pr.Participant(data.User.Username);
        participant.Status = status;
        pr.Record(status switch { "APPROVED" => "APPROVED", "NEEDS_WORK" => "REVIEWED", _ => "UNAPPROVED" }, data.User.Username, services.Options.TimeProvider.GetUtcNow());
        return new JsonNodeResult(DcShapes.Participant(participant, data.User, BaseUrl(context)));
    }

    private IResult UpdateParticipant(HttpContext context, DcPullRequest pr, string userSlug)
    {
        if (!string.Equals(userSlug, data.User.Username, StringComparison.OrdinalIgnoreCase))
        {
            return DcError.Field("userSlug", $"Only your own status can be changed; you are {data.User.Username}, not {userSlug}.");
        }

        // The version is optional here; when given, it must be current.
        if (context.Request.Query["version"].Count > 0 && CheckVersion(pr, QueryVersion(context)) is { } stale)
        {
            return stale;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var status = Text(body, "status")
            ?? (body["approved"] is JsonValue v && v.TryGetValue<bool>(out var approved) ? (approved ? "APPROVED" : "UNAPPROVED") : null);
        if (status is null || !ParticipantStates.Contains(status))
        {
            return DcError.Field("status", $"status must be one of {string.Join(", ", ParticipantStates)}.");
        }

        return SetStatus(context, pr, status);
    }

    private IResult Comments(HttpContext context, DcPullRequest pr) =>
        DcPaging.Page(context, pr.Comments, x => DcShapes.Comment(x, data.User, BaseUrl(context)));

    /// <summary>The conversation, newest first.</summary>
    private IResult Activities(HttpContext context, DcPullRequest pr) =>
        DcPaging.Page(context, pr.Activities.AsEnumerable().Reverse().ToList(), x => DcShapes.Activity(x, data.User, BaseUrl(context)));

    private IResult AddComment(HttpContext context, DcPullRequest pr)
    {
        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var text = Text(body, "text");
        if (string.IsNullOrWhiteSpace(text))
        {
            return DcError.Field("text", "A comment needs text.");
        }

        var now = services.Options.TimeProvider.GetUtcNow();
        var comment = new DcComment((pr.Id * 1000) + pr.Comments.Count + 1, text, data.User.Username, now);
        pr.Comments.Add(comment);
        pr.Record("COMMENTED", data.User.Username, now, comment);
        return new JsonNodeResult(DcShapes.Comment(comment, data.User, BaseUrl(context)), StatusCodes.Status201Created);
    }

    private IResult BuildStatuses(HttpContext context, string commitId)
    {
        var statuses = data.BuildStatuses.GetValueOrDefault(commitId) ?? [];
        return DcPaging.Page(context, statuses.AsEnumerable().Reverse().ToList(), DcShapes.BuildStatus);
    }

    /// <summary>One status per key and commit: posting the same key again replaces it. Any commit id is accepted.</summary>
    private IResult AddBuildStatus(HttpContext context, string commitId)
    {
        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var state = Text(body, "state");
        if (state is null || !BuildStates.Contains(state))
        {
            return DcError.Field("state", $"state must be one of {string.Join(", ", BuildStates)}.");
        }

        foreach (var required in new[] { "key", "url" })
        {
            if (string.IsNullOrWhiteSpace(Text(body, required)))
            {
                return DcError.Field(required, $"{required} is required.");
            }
        }

        var key = Text(body, "key")!;
        var list = data.BuildStatuses.TryGetValue(commitId, out var existing) ? existing : data.BuildStatuses[commitId] = [];
        list.RemoveAll(s => s.Key == key);
        list.Add(new DcBuildStatus(state, key, Text(body, "name") ?? key, Text(body, "url")!, Text(body, "description") ?? "", services.Options.TimeProvider.GetUtcNow()));
        return Results.NoContent();
    }

    /// <summary>Null when found, else the 404 to answer.</summary>
    private IResult? FindProject(string key, out DcProject project)
    {
        project = data.FindProject(key)!;
        return project is null
            ? DcError.Result(StatusCodes.Status404NotFound, $"Project {key} does not exist.", "com.atlassian.bitbucket.project.NoSuchProjectException")
            : null;
    }

    /// <summary>Null when found, else the 404 to answer.</summary>
    private IResult? FindRepository(string projectKey, string slug, out DcRepository repository)
    {
        repository = null!;
        if (FindProject(projectKey, out var project) is { } notFound)
        {
            return notFound;
        }

        repository = data.FindRepository(project, slug)!;
        return repository is null
            ? DcError.Result(StatusCodes.Status404NotFound, $"Repository {project.Key}/{slug} does not exist.", "com.atlassian.bitbucket.repository.NoSuchRepositoryException")
            : null;
    }

    /// <summary>Null when the body is a JSON object, else the 400 to answer.</summary>
    private static IResult? ReadBody(HttpContext context, out JsonObject body)
    {
        body = null!;
        var text = CapturedRequest.Of(context).Body;
        try
        {
            body = (text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject)!;
        }
        catch (JsonException)
        {
        }

        return body is null ? DcError.Result(StatusCodes.Status400BadRequest, "The request body must be a JSON object.") : null;
    }

    /// <summary>The string at a nested path, or null when absent or not a string.</summary>
    private static string? Text(JsonObject body, params string[] path)
    {
        JsonNode? node = body;
        foreach (var part in path)
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex SlugChars();
}
