using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>Commits and the build-status plugin.</summary>
internal sealed partial class DcEndpoints
{
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
}
