using System.Text.Json;
using System.Text.Json.Nodes;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.LocalProvider.Data;
using Bitbucket.LocalProvider.OAuth;

namespace Bitbucket.LocalProvider.Api;

/// <summary>The protected Bitbucket API: every route needs a request signed with an access token.</summary>
internal static partial class ApiEndpoints
{
    private static readonly string[] States = ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"];

    public static void Map(IEndpointRouteBuilder app, ProviderServices services)
    {
        var v2 = app.MapGroup("/2.0").AddEndpointFilter((context, next) => Protect(context, next, services));
        var data = services.Data;

        // An endpoint the provider does not model still checks the signature first, like Bitbucket:
        // a contributor's new command gets 404 only when its request was signed correctly (401 otherwise).
        v2.MapFallback(() => BitbucketError.Result(StatusCodes.Status404NotFound, BitbucketError.NotFound));

        MapWorkspaces(v2, data);
        MapRepositories(v2, data);
        MapPullRequests(v2, data, services);
        MapDaily(v2, data);
        MapEcho(v2);
        MapLegacy(app, services);
    }

    /// <summary>The signed-in user and their workspaces.</summary>
    private static void MapWorkspaces(IEndpointRouteBuilder v2, ProviderData data)
    {
        v2.MapGet("/user", (HttpContext c) => new JsonNodeResult(Shapes.User(data.User, RequestTarget.Origin(c))));

        v2.MapGet("/workspaces", (HttpContext c) =>
            List(c, data.Workspaces.Select(w => (JsonNode)Shapes.Workspace(w, RequestTarget.Origin(c))).ToList()));

        v2.MapGet("/workspaces/{workspace}", (HttpContext c, string workspace) =>
            data.FindWorkspace(workspace) is { } found
                ? new JsonNodeResult(Shapes.Workspace(found, RequestTarget.Origin(c)))
                : WorkspaceNotFound(workspace));
    }

    /// <summary>Repositories of a workspace, one repository, and its branches.</summary>
    private static void MapRepositories(IEndpointRouteBuilder v2, ProviderData data)
    {
        v2.MapGet("/repositories/{workspace}", (HttpContext c, string workspace) =>
        {
            if (data.FindWorkspace(workspace) is not { } found)
            {
                return WorkspaceNotFound(workspace);
            }

            var role = c.Request.Query["role"].ToString();
            var minimum = RepositoryRole.Member;
            if (role.Length > 0 && !Enum.TryParse(role, ignoreCase: true, out minimum))
            {
                return BitbucketError.Field("role", "Select a valid choice: owner, admin, contributor or member.");
            }

            var origin = RequestTarget.Origin(c);
            return List(c, data.RepositoriesOf(found).Where(r => r.Role >= minimum).Select(r => (JsonNode)Shapes.Repository(r, origin)).ToList());
        });

        v2.MapGet("/repositories/{workspace}/{repo}", (HttpContext c, string workspace, string repo) =>
            Find(data, workspace, repo, out var repository) ?? new JsonNodeResult(Shapes.Repository(repository, RequestTarget.Origin(c))));

        v2.MapGet("/repositories/{workspace}/{repo}/refs/branches", (HttpContext c, string workspace, string repo) =>
            Find(data, workspace, repo, out var repository)
            ?? List(c, repository.Branches.Select(b => (JsonNode)Shapes.Branch(repository, b, RequestTarget.Origin(c))).ToList()));

        // Branch names contain '/': take the rest of the path, whether the slashes were sent raw or as %2F.
        v2.MapGet("/repositories/{workspace}/{repo}/refs/branches/{**name}", (HttpContext c, string workspace, string repo, string name) =>
        {
            if (Find(data, workspace, repo, out var repository) is { } notFound)
            {
                return notFound;
            }

            var branchName = Uri.UnescapeDataString(name);
            return repository.FindBranch(branchName) is { } branch
                ? new JsonNodeResult(Shapes.Branch(repository, branch, RequestTarget.Origin(c)))
                : BitbucketError.Result(StatusCodes.Status404NotFound, $"Branch {branchName} not found");
        });
    }

    /// <summary>Pull requests: list, show and create.</summary>
    private static void MapPullRequests(IEndpointRouteBuilder v2, ProviderData data, ProviderServices services)
    {
        v2.MapGet("/repositories/{workspace}/{repo}/pullrequests", (HttpContext c, string workspace, string repo) =>
        {
            if (Find(data, workspace, repo, out var repository) is { } notFound)
            {
                return notFound;
            }

            var states = c.Request.Query["state"].Select(s => s?.ToUpperInvariant() ?? "").ToList();
            if (states.FirstOrDefault(s => !States.Contains(s)) is { } bad)
            {
                return BitbucketError.Field("state", $"Select a valid choice. {bad} is not one of the available choices.");
            }

            if (states.Count == 0)
            {
                states.Add("OPEN");
            }

            var origin = RequestTarget.Origin(c);
            return List(c, data.PullRequestsOf(repository)
                .Where(p => states.Contains(p.State))
                .OrderByDescending(p => p.Id)
                .Select(p => (JsonNode)Shapes.PullRequest(repository, p, data.User, origin)).ToList());
        });

        v2.MapGet("/repositories/{workspace}/{repo}/pullrequests/{id:int}", (HttpContext c, string workspace, string repo, int id) =>
        {
            if (Find(data, workspace, repo, out var repository) is { } notFound)
            {
                return notFound;
            }

            return data.PullRequestsOf(repository).FirstOrDefault(p => p.Id == id) is { } pr
                ? new JsonNodeResult(Shapes.PullRequest(repository, pr, data.User, RequestTarget.Origin(c)))
                : BitbucketError.Result(StatusCodes.Status404NotFound, $"Pull request {id} not found");
        });

        v2.MapPost("/repositories/{workspace}/{repo}/pullrequests", (HttpContext c, string workspace, string repo) =>
            Find(data, workspace, repo, out var repository) ?? CreatePullRequest(c, data, repository, services.Options.TimeProvider));
    }

    /// <summary>Echoes the non-OAuth form fields of a signed form post, so a test can see what the client sent.</summary>
    private static void MapEcho(IEndpointRouteBuilder v2)
    {
        v2.MapPost("/echo/form", (HttpContext c) =>
        {
            var captured = CapturedRequest.Of(c);
            if (!captured.IsForm)
            {
                return BitbucketError.Result(StatusCodes.Status400BadRequest, "Expected an application/x-www-form-urlencoded body");
            }

            var form = new JsonObject();
            foreach (var (name, value) in OAuthEncoding.ParseQueryOrForm(captured.Body).Where(p => !p.Key.StartsWith("oauth_", StringComparison.Ordinal)))
            {
                if (form[name] is not JsonArray values)
                {
                    form[name] = values = [];
                }

                values.Add(value);
            }

            return new JsonNodeResult(new JsonObject { ["form"] = form });
        });
    }

    /// <summary>The 1.0 API the original consumer example called.</summary>
    private static void MapLegacy(IEndpointRouteBuilder app, ProviderServices services)
    {
        // The original consumer example's call: the 1.0 API (removed from Bitbucket in 2019) answered an object keyed by branch name.
        var data = services.Data;
        var v1 = app.MapGroup("/1.0/repositories").AddEndpointFilter((context, next) => Protect(context, next, services));
        v1.MapGet("/{user}/{repo}/branches", (HttpContext c, string user, string repo) =>
        {
            if (Find(data, user, repo, out var repository) is { } notFound)
            {
                return notFound;
            }

            var branches = new JsonObject();
            foreach (var branch in repository.Branches)
            {
                branches[branch.Name] = Shapes.LegacyBranch(branch, data.User.Username);
            }

            return new JsonNodeResult(branches);
        });
    }

    /// <summary>OAuth first (RFC 5849 §3.2), then any failure injected by the fail-next test hook.</summary>
    private static async ValueTask<object?> Protect(EndpointFilterInvocationContext context, EndpointFilterDelegate next, ProviderServices services)
    {
        var http = context.HttpContext;
        if (!services.Verifier.TryVerify(http, TokenRequirement.AccessToken, out _, out var failure))
        {
            return OAuthEndpoints.Refuse(http, failure);
        }

        // After verification, so a client that resends the same signed request on retry meets "nonce already used".
        if (services.Hooks.TakeFailure((status, message) => BitbucketError.Result(status, message)) is { } injected)
        {
            return injected;
        }

        return await next(context).ConfigureAwait(false);
    }

    private static IResult List(HttpContext context, IReadOnlyList<JsonNode> items)
    {
        var query = context.Request.Query;
        var selected = ItemQuery.Apply(items, query["q"], query["sort"], out var error);
        return error ?? Paging.Page(context, selected);
    }

    private static IResult WorkspaceNotFound(string workspace) =>
        BitbucketError.Result(StatusCodes.Status404NotFound, $"Workspace {workspace} not found");

    /// <summary>Null when found, else the 404 to answer.</summary>
    private static IResult? Find(ProviderData data, string workspace, string repo, out Repository repository)
    {
        repository = null!;
        var found = data.FindWorkspace(workspace) is { } ws ? data.FindRepository(ws, repo) : null;
        if (found is null)
        {
            return BitbucketError.Result(StatusCodes.Status404NotFound, $"Repository {workspace}/{repo} not found");
        }

        repository = found;
        return null;
    }

    private static IResult CreatePullRequest(HttpContext context, ProviderData data, Repository repository, TimeProvider time)
    {
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(CapturedRequest.Of(context).Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return BitbucketError.Result(StatusCodes.Status400BadRequest, "Invalid JSON: expected an object");
        }

        var title = Text(body, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            return BitbucketError.Field("title", "This field is required.");
        }

        var source = Text(body, "source", "branch", "name");
        if (string.IsNullOrEmpty(source))
        {
            return BitbucketError.Field("source", "This field is required.");
        }

        if (repository.FindBranch(source) is null)
        {
            return BitbucketError.Field("source", $"Branch not found: {source}");
        }

        var destination = Text(body, "destination", "branch", "name") ?? repository.MainBranch;
        if (repository.FindBranch(destination) is null)
        {
            return BitbucketError.Field("destination", $"Branch not found: {destination}");
        }

        if (destination == source)
        {
            return BitbucketError.Field("source", "Source and destination branches are the same.");
        }

        var close = body["close_source_branch"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

        var pr = data.AddPullRequest(repository, id => new PullRequest(
            id, title, Text(body, "description") ?? "", "OPEN", source, destination, close, data.User.Username, time.GetUtcNow()));
        var json = Shapes.PullRequest(repository, pr, data.User, RequestTarget.Origin(context));
        var result = new JsonNodeResult(json, StatusCodes.Status201Created);
        result.Headers.Add(new("Location", json["links"]!["self"]!["href"]!.GetValue<string>()));
        return result;
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
}
