using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitbucket.LocalProvider.Api;

/// <summary>Build statuses on Cloud, for bb's <c>prs checks</c>: reported on a commit, read through the pull request whose source is at it.</summary>
internal static partial class ApiEndpoints
{
    /// <summary>Per provider instance: commit (as posted) → key → status.</summary>
    private static readonly ConditionalWeakTable<ProviderData, Dictionary<string, Dictionary<string, JsonObject>>> BuildStatuses = [];

    private static void MapDaily(RouteGroupBuilder v2, ProviderData data)
    {
        var statuses = BuildStatuses.GetOrCreateValue(data);

        v2.MapPost("/repositories/{workspace}/{repo}/commit/{node}/statuses/build", (HttpContext c, string workspace, string repo, string node) =>
        {
            if (Find(data, workspace, repo, out _) is { } notFound)
            {
                return notFound;
            }

            var body = JsonNode.Parse(CapturedRequest.Of(c).Body) as JsonObject;
            var key = body is null ? null : Text(body, "key");
            var state = body is null ? null : Text(body, "state");
            if (key is null || state is not ("SUCCESSFUL" or "FAILED" or "INPROGRESS" or "STOPPED"))
            {
                return BitbucketError.Field("state", "key and a state of SUCCESSFUL, FAILED, INPROGRESS or STOPPED are required.");
            }

            var status = new JsonObject
            {
                ["type"] = "commitstatus",
                ["key"] = key,
                ["state"] = state,
                ["name"] = Text(body!, "name") ?? key,
                ["url"] = Text(body!, "url") ?? "",
            };
            lock (statuses)
            {
                var forCommit = statuses.TryGetValue(node, out var existing) ? existing : statuses[node] = [];
                forCommit[key] = status;
            }

            return new JsonNodeResult(status.DeepClone(), StatusCodes.Status201Created);
        });

        v2.MapGet("/repositories/{workspace}/{repo}/pullrequests/{id:int}/statuses", (HttpContext c, string workspace, string repo, int id) =>
        {
            if (Find(data, workspace, repo, out var repository) is { } notFound)
            {
                return notFound;
            }

            if (data.PullRequestsOf(repository).FirstOrDefault(p => p.Id == id) is not { } pr || repository.FindBranch(pr.SourceBranch) is not { } branch)
            {
                return BitbucketError.Result(StatusCodes.Status404NotFound, $"Pull request {id} not found");
            }

            List<JsonNode> items;
            lock (statuses)
            {
                items = statuses.Where(s => branch.Target.Hash.StartsWith(s.Key, StringComparison.Ordinal))
                    .SelectMany(s => s.Value.Values)
                    .Select(s => s.DeepClone())
                    .ToList();
            }

            return List(c, items);
        });
    }
}
