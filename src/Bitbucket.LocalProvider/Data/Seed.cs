using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Data;

/// <summary>Builds the seeded data set (see docs/local-provider.md, "Seeded data").</summary>
internal static class Seed
{
    /// <summary>The team workspace with many repositories, for pagination.</summary>
    public const string BigWorkspace = "big";

    public static (ProviderData Data, IReadOnlyList<LocalConsumer> ExtraConsumers) Create(LocalProviderOptions options)
    {
        var user = options.User;
        var display = char.ToUpperInvariant(user[0]) + user[1..];
        var data = new ProviderData(new UserAccount(
            user, display, Ids.Uuid("user:" + user), "557058:" + Ids.Uuid("account:" + user).Trim('{', '}'), Ids.Epoch.AddDays(-400)));

        var home = new Workspace(user, display, Ids.Uuid("workspace:" + user), true, Ids.Epoch.AddDays(-400));
        var big = new Workspace(BigWorkspace, "Big Co", Ids.Uuid("workspace:" + BigWorkspace), false, Ids.Epoch.AddDays(-300));
        data.AddWorkspace(home);
        data.AddWorkspace(big);
        var author = $"{display} <{user}@example.com>";
        var largeCount = ((options.Pages - 1) * 100) + 50;

        AddHomeRepositories(data, home, author, largeCount);
        AddBigWorkspaceRepositories(data, big, largeCount);
        AddPullRequests(data, home, user);

        var extraConsumers = options.SeedFile is null ? [] : ApplySeedFile(data, options.SeedFile, author);
        return (data, extraConsumers);
    }

    /// <summary>The user's own repositories: <c>demo</c>, <c>many</c> (enough branches for <see cref="LocalProviderOptions.Pages"/> pages) and <c>api-client</c>.</summary>
    private static void AddHomeRepositories(ProviderData data, Workspace home, string author, int largeCount)
    {
        data.AddRepository(new Repository
        {
            Workspace = home,
            Slug = "demo",
            Name = "demo",
            Description = "Demo repository for bb",
            Language = "c#",
            Size = 482_133,
            CreatedOn = Ids.Epoch.AddDays(-90),
            UpdatedOn = Ids.Epoch.AddHours(-1),
            MainBranch = "main",
            Role = RepositoryRole.Owner,
            Branches = Branches(home.Slug + "/demo", author,
                ["main", "develop", "feature/login", "feature/oauth", "release/1.0", "bugfix/typo-in-readme", "hotfix/1.0.1"]),
        });
        data.AddRepository(new Repository
        {
            Workspace = home,
            Slug = "many",
            Name = "many",
            Description = $"A repository with {largeCount} branches",
            Language = "go",
            Size = 1_024,
            CreatedOn = Ids.Epoch.AddDays(-60),
            UpdatedOn = Ids.Epoch.AddHours(-30),
            MainBranch = "main",
            Role = RepositoryRole.Owner,
            Branches = Branches(home.Slug + "/many", author,
                ["main", .. Enumerable.Range(1, largeCount - 1).Select(i => $"feature/item-{i:000}")]),
        });
        data.AddRepository(new Repository
        {
            Workspace = home,
            Slug = "api-client",
            Name = "api-client",
            Description = "A public client library",
            IsPrivate = false,
            Language = "python",
            Size = 90_210,
            CreatedOn = Ids.Epoch.AddDays(-200),
            UpdatedOn = Ids.Epoch.AddDays(-3),
            MainBranch = "main",
            Role = RepositoryRole.Owner,
            Branches = Branches(home.Slug + "/api-client", author, ["main", "develop"]),
        });
    }

    /// <summary>The team workspace's repositories, as many as the user's <c>many</c> has branches.</summary>
    private static void AddBigWorkspaceRepositories(ProviderData data, Workspace big, int largeCount)
    {
        for (var i = 1; i <= largeCount; i++)
        {
            var slug = (i % 5 == 0 ? "api-" : "service-") + i.ToString("000", CultureInfo.InvariantCulture);
            data.AddRepository(new Repository
            {
                Workspace = big,
                Slug = slug,
                Name = slug,
                Description = $"Big Co repository {i}",
                IsPrivate = i % 2 == 0,
                Language = (i % 3) switch { 0 => "java", 1 => "typescript", _ => "go" },
                Size = 10_000L * i,
                CreatedOn = Ids.Epoch.AddDays(-250).AddHours(i),
                UpdatedOn = Ids.Epoch.AddMinutes(-7 * i),
                MainBranch = "main",
                Role = i % 10 == 0 ? RepositoryRole.Admin : i % 2 == 0 ? RepositoryRole.Contributor : RepositoryRole.Member,
                Branches = Branches(BigWorkspace + "/" + slug, "Bob <bob@example.com>", ["main"]),
            });
        }
    }

    /// <summary>Two pull requests on <c>demo</c>: one open, one merged.</summary>
    private static void AddPullRequests(ProviderData data, Workspace home, string user)
    {
        var demo = data.FindRepository(home, "demo")!;
        data.AddPullRequest(demo, id => new PullRequest(
            id, "Add login page", "Adds the login page.", "OPEN", "feature/login", "main", false, user, Ids.Epoch.AddDays(-2)));
        data.AddPullRequest(demo, id => new PullRequest(
            id, "OAuth 1.0a sign-in", "", "MERGED", "feature/oauth", "develop", true, user, Ids.Epoch.AddDays(-10)));
    }

    private static List<Branch> Branches(string fullName, string author, IEnumerable<string> names) =>
        names.Select((name, i) => new Branch(name, new Commit(
            Ids.CommitHash(fullName + "@" + name),
            Ids.Epoch.AddMinutes(-37 * i),
            $"Commit on {name}",
            author))).ToList();

    /// <summary>Reads a seed file (format in docs/local-provider.md); returns the consumers it declares.</summary>
    private static List<LocalConsumer> ApplySeedFile(ProviderData data, string path, string author)
    {
        var seed = ReadSeedFile(path);

        var consumers = new List<LocalConsumer>();
        foreach (var c in seed["consumers"]?.AsArray() ?? [])
        {
            consumers.Add(new LocalConsumer(Str(path, c, "key"), Str(path, c, "secret"), Str(path, c, "name", Str(path, c, "key"))));
        }

        foreach (var w in seed["workspaces"]?.AsArray() ?? [])
        {
            var slug = Str(path, w, "slug");
            data.AddWorkspace(new Workspace(slug, Str(path, w, "name", slug), Ids.Uuid("workspace:" + slug), Bool(w, "is_private", true), Ids.Epoch.AddDays(-100)));
        }

        var index = 0;
        foreach (var r in seed["repositories"]?.AsArray() ?? [])
        {
            index++;
            AddSeedRepository(data, path, author, r, index);
        }

        return consumers;
    }

    /// <summary>The seed file's top-level object; an unreadable file or anything but a JSON object is invalid data.</summary>
    private static JsonObject ReadSeedFile(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"seed file {path}: {e.Message}", e);
        }

        if (root is not JsonObject seed)
        {
            throw new InvalidDataException($"seed file {path}: the top level must be a JSON object");
        }

        return seed;
    }

    /// <summary>One repository of the seed file, the <paramref name="index"/>th; its workspace is created when missing.</summary>
    private static void AddSeedRepository(ProviderData data, string path, string author, JsonNode? r, int index)
    {
        var wsSlug = Str(path, r, "workspace");
        var workspace = data.FindWorkspace(wsSlug);
        if (workspace is null)
        {
            workspace = new Workspace(wsSlug, wsSlug, Ids.Uuid("workspace:" + wsSlug), true, Ids.Epoch.AddDays(-100));
            data.AddWorkspace(workspace);
        }

        var slug = Str(path, r, "slug");
        var mainBranch = Str(path, r, "mainbranch", "main");
        var branchNames = (r?["branches"]?.AsArray() ?? []).Select(b => b?.GetValue<string>() ?? "").Where(b => b.Length > 0).ToList();
        if (!branchNames.Contains(mainBranch))
        {
            branchNames.Insert(0, mainBranch);
        }

        var role = Str(path, r, "role", "owner");
        if (!Enum.TryParse<RepositoryRole>(role, ignoreCase: true, out var parsedRole))
        {
            throw new InvalidDataException($"seed file {path}: role \"{role}\" is not owner, admin, contributor or member");
        }

        data.AddRepository(new Repository
        {
            Workspace = workspace,
            Slug = slug,
            Name = Str(path, r, "name", slug),
            Description = Str(path, r, "description", ""),
            IsPrivate = Bool(r, "is_private", true),
            Language = Str(path, r, "language", ""),
            CreatedOn = Ids.Epoch.AddDays(-50).AddHours(index),
            UpdatedOn = Ids.Epoch.AddMinutes(-index),
            MainBranch = mainBranch,
            Role = parsedRole,
            Branches = Branches(workspace.Slug + "/" + slug, author, branchNames),
        });
    }

    /// <summary>The non-empty string at <paramref name="key"/>, else <paramref name="fallback"/>; without a fallback it is required.</summary>
    private static string Str(string path, JsonNode? node, string key, string? fallback = null)
    {
        var value = node?[key];
        if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
        {
            return s;
        }

        return fallback ?? throw new InvalidDataException($"seed file {path}: \"{key}\" (a non-empty string) is required in {node?.ToJsonString()}");
    }

    private static bool Bool(JsonNode? node, string key, bool fallback) =>
        node?[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
}
