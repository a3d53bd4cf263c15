using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>Projects and repositories: list, show, create, delete.</summary>
internal sealed partial class DcEndpoints
{
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
}
