using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Data;

namespace Bitbucket.LocalProvider.Api;

/// <summary>
/// Bitbucket 2.0 (and the original example's 1.0) JSON shapes of the seeded data. Every call builds fresh nodes:
/// links are absolute and use the origin of the request being answered.
/// </summary>
internal static class Shapes
{
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static JsonObject Link(string href) => new() { ["href"] = href };

    /// <summary>Escapes a path segment but keeps '/', as Bitbucket does in branch links.</summary>
    public static string PathPart(string value) => Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal);

    public static JsonObject User(UserAccount user, string origin) => new()
    {
        ["type"] = "user",
        ["username"] = user.Username,
        ["nickname"] = user.Username,
        ["display_name"] = user.DisplayName,
        ["account_id"] = user.AccountId,
        ["uuid"] = user.Uuid,
        ["account_status"] = "active",
        ["created_on"] = Date(user.CreatedOn),
        ["is_staff"] = false,
        ["links"] = new JsonObject
        {
            ["self"] = Link($"{origin}/2.0/users/{Uri.EscapeDataString(user.Uuid)}"),
            ["html"] = Link($"{origin}/{user.Username}/"),
            ["avatar"] = Link($"{origin}/account/{user.Username}/avatar/"),
            ["repositories"] = Link($"{origin}/2.0/repositories/{user.Username}"),
        },
    };

    private static JsonObject UserSummary(UserAccount user, string origin) => new()
    {
        ["type"] = "user",
        ["display_name"] = user.DisplayName,
        ["nickname"] = user.Username,
        ["account_id"] = user.AccountId,
        ["uuid"] = user.Uuid,
        ["links"] = new JsonObject { ["self"] = Link($"{origin}/2.0/users/{Uri.EscapeDataString(user.Uuid)}") },
    };

    public static JsonObject Workspace(Workspace workspace, string origin) => new()
    {
        ["type"] = "workspace",
        ["uuid"] = workspace.Uuid,
        ["name"] = workspace.Name,
        ["slug"] = workspace.Slug,
        ["is_private"] = workspace.IsPrivate,
        ["created_on"] = Date(workspace.CreatedOn),
        ["links"] = new JsonObject
        {
            ["self"] = Link($"{origin}/2.0/workspaces/{workspace.Slug}"),
            ["html"] = Link($"{origin}/{workspace.Slug}/"),
            ["repositories"] = Link($"{origin}/2.0/repositories/{workspace.Slug}"),
        },
    };

    private static JsonObject WorkspaceSummary(Workspace workspace, string origin) => new()
    {
        ["type"] = "workspace",
        ["uuid"] = workspace.Uuid,
        ["name"] = workspace.Name,
        ["slug"] = workspace.Slug,
        ["links"] = new JsonObject { ["self"] = Link($"{origin}/2.0/workspaces/{workspace.Slug}") },
    };

    private static string RepositoryUrl(Repository repository, string origin) =>
        $"{origin}/2.0/repositories/{repository.Workspace.Slug}/{repository.Slug}";

    public static JsonObject RepositorySummary(Repository repository, string origin) => new()
    {
        ["type"] = "repository",
        ["full_name"] = repository.FullName,
        ["name"] = repository.Name,
        ["uuid"] = repository.Uuid,
        ["links"] = new JsonObject { ["self"] = Link(RepositoryUrl(repository, origin)) },
    };

    public static JsonObject Repository(Repository repository, string origin)
    {
        var self = RepositoryUrl(repository, origin);
        var host = new Uri(origin).Authority;
        return new JsonObject
        {
            ["type"] = "repository",
            ["uuid"] = repository.Uuid,
            ["full_name"] = repository.FullName,
            ["name"] = repository.Name,
            ["slug"] = repository.Slug,
            ["description"] = repository.Description,
            ["scm"] = "git",
            ["is_private"] = repository.IsPrivate,
            ["language"] = repository.Language,
            ["size"] = repository.Size,
            ["created_on"] = Date(repository.CreatedOn),
            ["updated_on"] = Date(repository.UpdatedOn),
            ["has_issues"] = false,
            ["has_wiki"] = false,
            ["fork_policy"] = "allow_forks",
            ["mainbranch"] = new JsonObject { ["type"] = "branch", ["name"] = repository.MainBranch },
            ["workspace"] = WorkspaceSummary(repository.Workspace, origin),
            ["owner"] = new JsonObject
            {
                ["type"] = "team",
                ["display_name"] = repository.Workspace.Name,
                ["username"] = repository.Workspace.Slug,
                ["uuid"] = repository.Workspace.Uuid,
            },
            ["links"] = new JsonObject
            {
                ["self"] = Link(self),
                ["html"] = Link($"{origin}/{repository.FullName}"),
                ["branches"] = Link(self + "/refs/branches"),
                ["pullrequests"] = Link(self + "/pullrequests"),
                ["clone"] = new JsonArray(
                    new JsonObject { ["name"] = "https", ["href"] = $"{origin}/{repository.FullName}.git" },
                    new JsonObject { ["name"] = "ssh", ["href"] = $"git@{host}:{repository.FullName}.git" }),
            },
        };
    }

    private static JsonObject Commit(Repository repository, Commit commit, string origin) => new()
    {
        ["type"] = "commit",
        ["hash"] = commit.Hash,
        ["date"] = Date(commit.Date),
        ["message"] = commit.Message + "\n",
        ["author"] = new JsonObject { ["type"] = "author", ["raw"] = commit.AuthorRaw },
        ["links"] = new JsonObject { ["self"] = Link($"{RepositoryUrl(repository, origin)}/commit/{commit.Hash}") },
    };

    public static JsonObject Branch(Repository repository, Branch branch, string origin) => new()
    {
        ["type"] = "branch",
        ["name"] = branch.Name,
        ["target"] = Commit(repository, branch.Target, origin),
        ["merge_strategies"] = new JsonArray("merge_commit", "squash", "fast_forward"),
        ["default_merge_strategy"] = "merge_commit",
        ["links"] = new JsonObject
        {
            ["self"] = Link($"{RepositoryUrl(repository, origin)}/refs/branches/{PathPart(branch.Name)}"),
            ["commits"] = Link($"{RepositoryUrl(repository, origin)}/commits/{PathPart(branch.Name)}"),
            ["html"] = Link($"{origin}/{repository.FullName}/branch/{PathPart(branch.Name)}"),
        },
    };

    /// <summary>The 1.0 shape of one branch, as a value in the object keyed by branch name.</summary>
    public static JsonObject LegacyBranch(Branch branch, string username) => new()
    {
        ["node"] = branch.Target.Hash[..12],
        ["raw_node"] = branch.Target.Hash,
        ["files"] = new JsonArray(),
        ["raw_author"] = branch.Target.AuthorRaw,
        ["author"] = username,
        ["utctimestamp"] = branch.Target.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
        ["timestamp"] = branch.Target.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["parents"] = new JsonArray(),
        ["branch"] = branch.Name,
        ["message"] = branch.Target.Message,
        ["revision"] = null,
        ["size"] = -1,
    };

    private static JsonObject Endpoint(Repository repository, string branchName, string origin)
    {
        var branch = repository.FindBranch(branchName);
        return new JsonObject
        {
            ["branch"] = new JsonObject { ["name"] = branchName },
            ["commit"] = branch is null ? null : new JsonObject { ["type"] = "commit", ["hash"] = branch.Target.Hash[..12] },
            ["repository"] = RepositorySummary(repository, origin),
        };
    }

    public static JsonObject PullRequest(Repository repository, PullRequest pr, UserAccount author, string origin)
    {
        var self = $"{RepositoryUrl(repository, origin)}/pullrequests/{pr.Id}";
        return new JsonObject
        {
            ["type"] = "pullrequest",
            ["id"] = pr.Id,
            ["title"] = pr.Title,
            ["description"] = pr.Description,
            ["summary"] = new JsonObject { ["type"] = "rendered", ["raw"] = pr.Description, ["markup"] = "markdown" },
            ["state"] = pr.State,
            ["author"] = UserSummary(author, origin),
            ["source"] = Endpoint(repository, pr.SourceBranch, origin),
            ["destination"] = Endpoint(repository, pr.DestinationBranch, origin),
            ["close_source_branch"] = pr.CloseSourceBranch,
            ["comment_count"] = 0,
            ["task_count"] = 0,
            ["reason"] = "",
            ["created_on"] = Date(pr.CreatedOn),
            ["updated_on"] = Date(pr.CreatedOn),
            ["links"] = new JsonObject
            {
                ["self"] = Link(self),
                ["html"] = Link($"{origin}/{repository.FullName}/pull-requests/{pr.Id}"),
                ["commits"] = Link(self + "/commits"),
                ["diff"] = Link(self + "/diff"),
                ["comments"] = Link(self + "/comments"),
            },
        };
    }
}
