namespace Bitbucket.LocalProvider.Data;

/// <summary>The provider's in-memory Bitbucket: one user, their workspaces and repositories.</summary>
internal sealed class ProviderData
{
    private readonly Lock sync = new();
    private readonly List<Workspace> workspaces = [];
    private readonly List<Repository> repositories = [];

    public ProviderData(UserAccount user) => User = user;

    public UserAccount User { get; }

    public IReadOnlyList<Workspace> Workspaces => workspaces;

    public void AddWorkspace(Workspace workspace)
    {
        workspaces.RemoveAll(w => string.Equals(w.Slug, workspace.Slug, StringComparison.OrdinalIgnoreCase));
        workspaces.Add(workspace);
    }

    /// <summary>Adds or replaces a repository (same workspace and slug).</summary>
    public void AddRepository(Repository repository)
    {
        repositories.RemoveAll(r => string.Equals(r.FullName, repository.FullName, StringComparison.OrdinalIgnoreCase));
        repositories.Add(repository);
    }

    /// <summary>Finds a workspace by slug (case-insensitive) or by UUID, with or without braces.</summary>
    public Workspace? FindWorkspace(string slugOrUuid)
    {
        var uuid = slugOrUuid.StartsWith('{') ? slugOrUuid : "{" + slugOrUuid + "}";
        return workspaces.FirstOrDefault(w =>
            string.Equals(w.Slug, slugOrUuid, StringComparison.OrdinalIgnoreCase)
            || string.Equals(w.Uuid, uuid, StringComparison.OrdinalIgnoreCase));
    }

    public IReadOnlyList<Repository> RepositoriesOf(Workspace workspace) =>
        repositories.Where(r => r.Workspace.Slug == workspace.Slug).ToList();

    public Repository? FindRepository(Workspace workspace, string slug) =>
        repositories.FirstOrDefault(r =>
            r.Workspace.Slug == workspace.Slug && string.Equals(r.Slug, slug, StringComparison.OrdinalIgnoreCase));

    /// <summary>A snapshot of a repository's pull requests.</summary>
    public IReadOnlyList<PullRequest> PullRequestsOf(Repository repository)
    {
        lock (sync)
        {
            return [.. repository.PullRequests];
        }
    }

    /// <summary>Adds a pull request with the next free id (ids are per repository, from 1).</summary>
    public PullRequest AddPullRequest(Repository repository, Func<int, PullRequest> create)
    {
        lock (sync)
        {
            var id = repository.PullRequests.Count == 0 ? 1 : repository.PullRequests.Max(p => p.Id) + 1;
            var pullRequest = create(id);
            repository.PullRequests.Add(pullRequest);
            return pullRequest;
        }
    }
}
