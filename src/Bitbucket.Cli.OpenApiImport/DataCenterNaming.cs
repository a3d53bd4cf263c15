using System.Globalization;
using System.Runtime.CompilerServices;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>
/// Group and command names for Data Center paths, which all look alike at the start
/// (<c>/api/latest/projects/{projectKey}/repos/{repositorySlug}/…</c>). The REST area and its version
/// (<c>api/latest</c>) and the project/repository coordinates carry no meaning of their own: the group
/// is the resource after them (<c>pull-requests</c> → <c>prs</c>), or the area for the plugin areas
/// (<c>/insights/latest/…</c> → <c>insights</c>); the name is a verb from the method and the tail
/// (<c>list</c>, <c>get</c>, <c>create</c>, <c>update</c>, <c>delete</c>, with the tail's last resource
/// after it), or the tail's last word itself when it is an action (<c>merge</c>, <c>decline</c>).
/// </summary>
internal static class DataCenterNaming
{
    /// <summary>Short group names for resources whose path name is long.</summary>
    private static readonly Dictionary<string, string> GroupAliases = new(StringComparer.Ordinal)
    {
        ["pull-requests"] = "prs",
        ["repositories"] = "repos",
        ["build-status"] = "statuses",
        ["builds"] = "statuses",
    };

    /// <summary>Placeholders renamed beyond snake_case, to read like bb's Cloud commands.</summary>
    private static readonly Dictionary<string, string> PlaceholderAliases = new(StringComparer.Ordinal)
    {
        ["repository_slug"] = "repo_slug",
    };

    /// <summary>The spec name of a Data Center path placeholder: <c>projectKey</c> → <c>project_key</c>, <c>repositorySlug</c> → <c>repo_slug</c>.</summary>
    public static string Placeholder(string name)
    {
        var snake = string.Join('_', Naming.Words(name));
        if (snake.Length == 0)
        {
            return name;
        }

        return PlaceholderAliases.TryGetValue(snake, out var alias) ? alias : snake;
    }

    /// <summary>The collections whose item placeholders locate everything else, outermost first.</summary>
    private static readonly string[] Coordinates = ["projects", "repos"];

    /// <summary>The path without its REST area, version and coordinates.</summary>
    /// <param name="Area">The REST area: <c>api</c>, <c>branch-utils</c>, …</param>
    /// <param name="Owner">The last coordinate's collection (<c>projects</c>, <c>repos</c>) or null.</param>
    /// <param name="Tail">What follows the coordinates.</param>
    internal sealed record Parts(string Area, string? Owner, IReadOnlyList<Naming.Segment> Tail);

    public static Parts Split(string openApiPath)
    {
        // "{pullRequestId}.diff" and "diff-stats-summary{path}" are a placeholder and a word.
        var segments = new List<Naming.Segment>();
        foreach (var segment in Naming.Segments(openApiPath))
        {
            var open = segment.Text.IndexOf('{', StringComparison.Ordinal);
            var close = segment.Text.IndexOf('}', StringComparison.Ordinal);
            if (!segment.IsParameter || open < 0 || close < open || open == 0 && close == segment.Text.Length - 1)
            {
                segments.Add(segment);
                continue;
            }

            var before = segment.Text[..open];
            var after = segment.Text[(close + 1)..];
            if (Naming.Words(before).Count > 0)
            {
                segments.Add(new Naming.Segment(before, false));
            }

            segments.Add(new Naming.Segment(segment.Text[open..(close + 1)], true));
            if (Naming.Words(after).Count > 0)
            {
                segments.Add(new Naming.Segment(after, false));
            }
        }

        var area = segments.Count > 0 && !segments[0].IsParameter ? Naming.Kebab(segments[0].Text) : "root";
        var at = segments.Count > 0 && !segments[0].IsParameter ? 1 : 0;
        if (at < segments.Count && IsVersion(segments[at].Text))
        {
            at++;
        }

        string? owner = null;
        foreach (var coordinate in Coordinates)
        {
            if (at + 1 < segments.Count && segments[at].Text == coordinate && segments[at + 1].IsParameter)
            {
                owner = coordinate;
                at += 2;
            }
        }

        return new Parts(area, owner, segments.Skip(at).ToList());
    }

    /// <summary>A resource with fewer operations than this in the document joins its owner's group (repos, projects) or server.</summary>
    public const int SmallestGroup = 3;

    public static string Group(ImportedOperation operation, PathIndex paths)
    {
        var resource = Resource(operation.OpenApiPath);
        if (resource.Folded is { } owner && Sizes.GetValue(paths, CountResources).GetValueOrDefault(resource.Own) < SmallestGroup)
        {
            resource = (owner, null);
        }

        return resource.Own;
    }

    /// <summary>Operations per resource in each document (every method and path, whatever the selection).</summary>
    private static readonly ConditionalWeakTable<PathIndex, Dictionary<string, int>> Sizes = new();

    private static Dictionary<string, int> CountResources(PathIndex paths) =>
        paths.Paths().GroupBy(p => Resource(p).Own, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The group a path's resource would have on its own, and the group it joins if that is too small (null: never folded).</summary>
    private static (string Own, string? Folded) Resource(string openApiPath)
    {
        var parts = Split(openApiPath);
        if (parts.Area != "api")
        {
            return (Alias(parts.Area), null);
        }

        if (parts.Tail.Count > 0 && !parts.Tail[0].IsParameter)
        {
            // A project's repositories are the repos group however few operations the document has.
            var own = Alias(Naming.Kebab(parts.Tail[0].Text));
            return (own, Coordinates.Contains(own) ? null : parts.Owner ?? "server");
        }

        return (parts.Owner ?? "server", null);
    }

    private static string Alias(string resource) => GroupAliases.TryGetValue(resource, out var alias) ? alias : resource;

    /// <summary>What follows the coordinates, less the group's own resource (prs' "pull-requests", insights' "insights").</summary>
    private static List<Naming.Segment> Tail(Parts parts, string group)
    {
        var tail = parts.Tail.ToList();
        if (tail.Count > 0 && !tail[0].IsParameter && SameResource(Naming.Kebab(tail[0].Text), group))
        {
            tail.RemoveAt(0);
        }

        return tail;
    }

    /// <summary>Names keep to this many words where they can: a longer one loses its verb <c>get</c> or <c>list</c>.</summary>
    public const int MaxWords = 3;

    public static string BaseName(ImportedOperation operation, string group, PathIndex paths) => Short(Preferred(operation, group, paths));

    private static string Short(string name) =>
        name.Split('-').Length > MaxWords && (name.StartsWith("get-", StringComparison.Ordinal) || name.StartsWith("list-", StringComparison.Ordinal))
            ? name[(name.IndexOf('-', StringComparison.Ordinal) + 1)..]
            : name;

    private static string Preferred(ImportedOperation operation, string group, PathIndex paths)
    {
        var parts = Split(operation.OpenApiPath);
        var tail = Tail(parts, group);

        var literals = tail.Where(s => !s.IsParameter).Select(s => Naming.Kebab(s.Text)).ToList();
        var endsWithParameter = tail.Count > 0 ? tail[^1].IsParameter : parts.Owner is not null;
        var path = operation.OpenApiPath;
        if (literals.Count == 0)
        {
            return operation.Method switch
            {
                "GET" => endsWithParameter && !operation.Paginated ? "get" : "list",
                "POST" => "create",
                "PUT" or "PATCH" => "update",
                "DELETE" => "delete",
                _ => Naming.Kebab(operation.Method),
            };
        }

        var last = literals[^1];
        var plural = Naming.LooksPlural(last) || paths.HasItemChild(path);
        switch (operation.Method)
        {
            case "GET" when !endsWithParameter:
                return (operation.Paginated || plural ? "list-" : "get-") + last;
            case "GET":
                return "get-" + Naming.Singular(last);
            case "POST" when !endsWithParameter && !plural:
                // POST to a word that is not a collection is an action: merge, decline, reopen.
                return last;
            case "POST":
                return "create-" + Naming.Singular(last);
            case "PUT" or "PATCH" when !endsWithParameter && !plural && !paths.Has("GET", path):
                return last;
            case "PUT" or "PATCH":
                return "update-" + (endsWithParameter ? Naming.Singular(last) : last);
            case "DELETE" when !endsWithParameter && !plural && !paths.Has("GET", path) && paths.Has("POST", path):
                // Undoing an action: DELETE …/approve → unapprove.
                return "un" + last;
            case "DELETE":
                return "delete-" + (endsWithParameter ? Naming.Singular(last) : last);
            default:
                return Naming.Kebab(operation.Method) + "-" + last;
        }
    }

    /// <summary>
    /// Other names to try, in order, when the base name is taken: with the owner after the verb
    /// (<c>list-project</c>, <c>get-repo-restriction</c>: the same resource on a project and on a
    /// repository), then with the resource before the last, then a number.
    /// </summary>
    public static IEnumerable<string> Alternatives(ImportedOperation operation, string group, string baseName)
    {
        var parts = Split(operation.OpenApiPath);
        if (parts.Owner is { } owner)
        {
            yield return Short(Insert(baseName, Naming.Singular(owner)));
        }

        var literals = Tail(parts, group).Where(s => !s.IsParameter).Select(s => Naming.Kebab(s.Text)).ToList();
        if (literals.Count >= 2)
        {
            yield return Short(Insert(baseName, Naming.Singular(literals[^2])));
        }

        for (var n = 2; ; n++)
        {
            yield return baseName + "-" + n.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A qualifier after the verb: <c>get-restriction</c> + project → <c>get-project-restriction</c>.</summary>
    private static string Insert(string name, string qualifier)
    {
        var cut = name.IndexOf('-', StringComparison.Ordinal);
        return cut < 0 ? name + "-" + qualifier : name[..cut] + "-" + qualifier + name[cut..];
    }

    private static bool IsVersion(string segment) =>
        segment == "latest" || segment.Length > 0 && segment.All(c => char.IsAsciiDigit(c) || c == '.');

    private static bool SameResource(string segment, string group) =>
        segment == group || Naming.Singular(segment) == Naming.Singular(group)
        || GroupAliases.TryGetValue(segment, out var alias) && alias == group;
}
