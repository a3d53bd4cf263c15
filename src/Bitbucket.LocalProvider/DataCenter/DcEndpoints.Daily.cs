using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>What bb's daily verbs (prs create, checks, status) ask a Data Center server beyond the generated commands' routes.</summary>
internal sealed partial class DcEndpoints
{
    /// <summary>The default branch under its current name (<c>…/default-branch</c>; <c>…/branches/default</c> is the older one).</summary>
    private static void MapDaily(RouteGroupBuilder rest, DcEndpoints api)
        => rest.MapGet(RepoPath + "/default-branch", (string projectKey, string repositorySlug) => api.Locked(() => api.DefaultBranch(projectKey, repositorySlug)));
}
