using System.Globalization;
using Bitbucket.LocalProvider.Data;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>A Data Center project; a personal one has the key <c>~USERNAME</c>.</summary>
internal sealed record DcProject(int Id, string Key, string Name, string Description, bool Personal);

/// <summary>A commit in a repository's history; <see cref="Parents"/> are commit ids.</summary>
internal sealed record DcCommit(string Id, string Message, DateTimeOffset Date, string AuthorName, string AuthorEmail, IReadOnlyList<string> Parents);

/// <summary>A branch or tag: its short name and the commit it points at.</summary>
internal sealed class DcRef(string name, string latestCommit)
{
    public string Name { get; } = name;

    public string LatestCommit { get; set; } = latestCommit;
}

internal sealed class DcRepository
{
    public required int Id { get; init; }

    public required DcProject Project { get; init; }

    public required string Slug { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public bool Public { get; init; }

    /// <summary>The default branch's short name; null for an empty repository.</summary>
    public string? DefaultBranch { get; set; }

    public List<DcRef> Branches { get; } = [];

    public List<DcRef> Tags { get; } = [];

    public Dictionary<string, DcCommit> Commits { get; } = new(StringComparer.Ordinal);

    public List<DcPullRequest> PullRequests { get; } = [];

    public DcRef? FindBranch(string name)
    {
        var shortName = name.StartsWith(DcData.HeadsPrefix, StringComparison.Ordinal) ? name[DcData.HeadsPrefix.Length..] : name;
        return Branches.FirstOrDefault(b => b.Name == shortName);
    }

    /// <summary>A commit by full id or by a unique prefix of at least 7 characters.</summary>
    public DcCommit? FindCommit(string id)
    {
        if (Commits.TryGetValue(id, out var exact))
        {
            return exact;
        }

        var matches = id.Length >= 7 ? Commits.Values.Where(c => c.Id.StartsWith(id, StringComparison.Ordinal)).Take(2).ToList() : [];
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>A branch (short or full name), a tag or a commit id, resolved to a commit.</summary>
    public DcCommit? Resolve(string reference)
    {
        if (FindBranch(reference) is { } branch)
        {
            return Commits[branch.LatestCommit];
        }

        var tagName = reference.StartsWith(DcData.TagsPrefix, StringComparison.Ordinal) ? reference[DcData.TagsPrefix.Length..] : reference;
        if (Tags.FirstOrDefault(t => t.Name == tagName) is { } tag)
        {
            return Commits[tag.LatestCommit];
        }

        return FindCommit(reference);
    }

    public DcCommit AddCommit(string message, DateTimeOffset date, UserAccount author, params string[] parents)
    {
        var id = Ids.CommitHash($"{Project.Key}/{Slug}:{message}:{string.Join(',', parents)}:{Commits.Count}");
        var commit = new DcCommit(id, message, date, author.DisplayName, DcData.Email(author), parents);
        Commits[id] = commit;
        return commit;
    }
}

/// <summary>A reviewer's or participant's state on a pull request.</summary>
internal sealed class DcParticipant(string user, string role)
{
    public string User { get; } = user;

    /// <summary>AUTHOR, REVIEWER or PARTICIPANT.</summary>
    public string Role { get; set; } = role;

    /// <summary>APPROVED, NEEDS_WORK or UNAPPROVED.</summary>
    public string Status { get; set; } = "UNAPPROVED";
}

internal sealed record DcComment(int Id, string Text, string Author, DateTimeOffset Created);

/// <summary>One entry of a pull request's activity stream (OPENED, COMMENTED, APPROVED, MERGED, …).</summary>
internal sealed record DcActivity(int Id, string Action, string User, DateTimeOffset Created, DcComment? Comment = null);

internal sealed class DcPullRequest
{
    public required int Id { get; init; }

    public int Version { get; set; }

    public required string Title { get; set; }

    public string Description { get; set; } = "";

    /// <summary>OPEN, MERGED or DECLINED.</summary>
    public string State { get; set; } = "OPEN";

    public required string FromBranch { get; init; }

    public required string ToBranch { get; set; }

    public required string Author { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; set; }

    public DateTimeOffset? Closed { get; set; }

    public List<DcParticipant> Participants { get; } = [];

    public List<DcComment> Comments { get; } = [];

    public List<DcActivity> Activities { get; } = [];

    public DcParticipant Participant(string user)
    {
        if (Participants.FirstOrDefault(p => p.User == user) is { } existing)
        {
            return existing;
        }

        var added = new DcParticipant(user, user == Author ? "AUTHOR" : "PARTICIPANT");
        Participants.Add(added);
        return added;
    }

    public void Record(string action, string user, DateTimeOffset when, DcComment? comment = null)
    {
        var id = (Id * 1000) + Activities.Count + 1;
        Activities.Add(new DcActivity(id, action, user, when, comment));
    }
}

/// <summary>A build result posted for a commit through the build-status API.</summary>
internal sealed record DcBuildStatus(string State, string Key, string Name, string Url, string Description, DateTimeOffset Added);

/// <summary>
/// The Data Center flavour's in-memory server: one user, projects with repositories, pull requests and
/// build statuses. Every read and write happens under <see cref="Sync"/>.
/// </summary>
internal sealed class DcData(UserAccount user)
{
    public const string HeadsPrefix = "refs/heads/";
    public const string TagsPrefix = "refs/tags/";

    public Lock Sync { get; } = new();

    public UserAccount User { get; } = user;

    public List<DcProject> Projects { get; } = [];

    public List<DcRepository> Repositories { get; } = [];

    /// <summary>Build statuses by commit id, newest last; one per key.</summary>
    public Dictionary<string, List<DcBuildStatus>> BuildStatuses { get; } = new(StringComparer.Ordinal);

    public int NextRepositoryId { get; set; } = 1;

    public static string Email(UserAccount user) => user.Username + "@example.com";

    /// <summary>The personal project key of <paramref name="username"/>.</summary>
    public static string PersonalKey(string username) => "~" + username.ToUpperInvariant();

    public DcProject? FindProject(string key) =>
        Projects.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    public DcRepository? FindRepository(DcProject project, string slug) =>
        Repositories.FirstOrDefault(r => r.Project == project && string.Equals(r.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<DcRepository> RepositoriesOf(DcProject project) => Repositories.Where(r => r.Project == project);

    /// <summary>A repository with a linear history on its default branch and the given branches pointing past it.</summary>
    public DcRepository AddRepository(DcProject project, string slug, string description, IEnumerable<string> branches, int history = 3)
    {
        var repository = new DcRepository
        {
            Id = NextRepositoryId++,
            Project = project,
            Slug = slug,
            Name = slug,
            Description = description,
            DefaultBranch = "main",
        };
        var when = Ids.Epoch.AddDays(-30);
        var tip = repository.AddCommit("Initial commit", when, User);
        for (var i = 2; i <= history; i++)
        {
            tip = repository.AddCommit($"Change {i} on main", when.AddHours(i), User, tip.Id);
        }

        repository.Branches.Add(new DcRef("main", tip.Id));
        var index = 0;
        foreach (var name in branches.Where(b => b != "main"))
        {
            index++;
            var commit = repository.AddCommit($"Work on {name}", when.AddDays(1).AddMinutes(index), User, tip.Id);
            repository.Branches.Add(new DcRef(name, commit.Id));
        }

        Repositories.Add(repository);
        return repository;
    }

    /// <summary>The seeded Data Center data (see docs/local-provider.md, "Data Center mode").</summary>
    public static DcData Create(UserAccount user, int pages)
    {
        var data = new DcData(user);
        var large = ((pages - 1) * 25) + 10;
        var project = new DcProject(1, "PROJ", "Project", "The seeded project", false);
        var personal = new DcProject(2, PersonalKey(user.Username), user.DisplayName, "", true);
        data.Projects.Add(project);
        data.Projects.Add(personal);

        var demo = data.AddRepository(project, "demo", "Demo repository for bb",
            ["main", "develop", "feature/login", "feature/oauth", "release/1.0", "bugfix/typo-in-readme"]);
        var mainTip = demo.Commits[demo.FindBranch("main")!.LatestCommit];
        demo.Tags.Add(new DcRef("v1.0", mainTip.Parents[0]));
        demo.Tags.Add(new DcRef("v1.1", mainTip.Id));
        data.AddRepository(project, "many", $"A repository with {large} branches",
            ["main", .. Enumerable.Range(1, large - 1).Select(i => $"feature/item-{i:000}")]);
        for (var i = 1; i <= large; i++)
        {
            data.AddRepository(project, "service-" + i.ToString("000", CultureInfo.InvariantCulture), $"Service {i}", ["main"], history: 1);
        }

        data.AddRepository(personal, "dotfiles", "Personal settings", ["main"]);

        var opened = Ids.Epoch.AddDays(-2);
        var login = new DcPullRequest
        {
            Id = 1,
            Title = "Add login page",
            Description = "Adds the login page.",
            FromBranch = "feature/login",
            ToBranch = "main",
            Author = user.Username,
            Created = opened,
            Updated = opened,
        };
        var oauth = new DcPullRequest
        {
            Id = 2,
            Title = "OAuth 1.0a sign-in",
            FromBranch = "feature/oauth",
            ToBranch = "develop",
            Author = user.Username,
            Created = opened.AddHours(3),
            Updated = opened.AddHours(3),
        };
        foreach (var pr in new[] { login, oauth })
        {
            pr.Participant(user.Username);
            pr.Record("OPENED", user.Username, pr.Created);
            demo.PullRequests.Add(pr);
        }

        return data;
    }
}
