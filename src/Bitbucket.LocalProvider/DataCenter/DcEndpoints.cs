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
            MapDaily(rest, api);
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
