using Bitbucket.Cli.Core;

namespace Bitbucket.Cli.Commands;

/// <summary>The web pages of a repository on either flavour (what <c>bb browse</c> and <c>--web</c> open).</summary>
internal static class PrsWeb
{
    /// <summary>Cloud's API at <c>https://api.bitbucket.org</c> has its pages at <c>https://bitbucket.org</c>; elsewhere the API URL is the web URL.</summary>
    public static string WebBase(string apiUrl, ApiFlavor flavor)
    {
        var trimmed = apiUrl.TrimEnd('/');
        if (flavor == ApiFlavor.Cloud && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new UriBuilder(uri) { Host = uri.Host["api.".Length..] };
            return builder.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        return trimmed;
    }

    public static string Repository(string web, ApiFlavor flavor, string owner, string repo)
        => flavor == ApiFlavor.Cloud ? $"{web}/{E(owner)}/{E(repo)}" : $"{web}/projects/{E(owner)}/repos/{E(repo)}";

    /// <summary>The repository's page, or a file or directory at a branch or commit, or the branch, commit or pull-request list.</summary>
    public static string Page(string web, ApiFlavor flavor, string owner, string repo, string? path, string? branch, string? commit, bool prs)
    {
        var root = Repository(web, flavor, owner, repo);
        var at = commit ?? branch;
        if (prs)
        {
            return root + "/pull-requests";
        }

        if (path is not null)
        {
            var file = string.Join('/', path.Trim('/').Split('/').Select(E));
            return flavor == ApiFlavor.Cloud
                ? $"{root}/src/{(at is null ? "HEAD" : EPath(at))}/{file}"
                : $"{root}/browse/{file}" + (at is null ? string.Empty : "?at=" + Uri.EscapeDataString(commit ?? "refs/heads/" + branch));
        }

        if (commit is not null)
        {
            return $"{root}/commits/{E(commit)}";
        }

        if (branch is not null)
        {
            return flavor == ApiFlavor.Cloud ? $"{root}/branch/{EPath(branch)}" : $"{root}/browse?at={Uri.EscapeDataString("refs/heads/" + branch)}";
        }

        return flavor == ApiFlavor.Cloud ? root : root + "/browse";
    }

    /// <summary>The page that starts a pull request from <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static string Compare(string web, ApiFlavor flavor, string owner, string repo, string source, string destination)
        => flavor == ApiFlavor.Cloud
            ? $"{Repository(web, flavor, owner, repo)}/pull-requests/new?source={Uri.EscapeDataString(source)}&dest={Uri.EscapeDataString(destination)}"
            : $"{Repository(web, flavor, owner, repo)}/pull-requests?create&sourceBranch={Uri.EscapeDataString("refs/heads/" + source)}&targetBranch={Uri.EscapeDataString("refs/heads/" + destination)}";

    public static string PullRequest(string web, ApiFlavor flavor, string owner, string repo, long id)
        => flavor == ApiFlavor.Cloud
            ? $"{Repository(web, flavor, owner, repo)}/pull-requests/{id}"
            : $"{Repository(web, flavor, owner, repo)}/pull-requests/{id}/overview";

    private static string E(string segment) => Uri.EscapeDataString(segment);

    private static string EPath(string value) => string.Join('/', value.Split('/').Select(E));
}
