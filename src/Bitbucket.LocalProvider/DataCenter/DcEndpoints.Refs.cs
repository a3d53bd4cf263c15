using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>Branches and tags, the branch-utils plugin, and the default branch.</summary>
internal sealed partial class DcEndpoints
{
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
}
