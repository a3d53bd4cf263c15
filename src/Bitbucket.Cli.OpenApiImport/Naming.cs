using System.Text;
using System.Text.RegularExpressions;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>
/// Derives readable kebab-case group and command names from an operation's tag, method and path:
/// <c>GET /repositories/{w}/{r}/pullrequests/{id}/comments</c> tagged <c>pullrequests</c> becomes
/// <c>pullrequests list-comments</c>.
/// </summary>
internal static partial class Naming
{
    /// <summary>camelCase, snake_case and anything else to kebab-case, always starting with a letter.</summary>
    public static string Kebab(string text)
    {
        var kebab = string.Join('-', Words(text));
        if (kebab.Length == 0)
        {
            return "op";
        }

        return char.IsAsciiLetter(kebab[0]) ? kebab : "op-" + kebab;
    }

    /// <summary>
    /// Lower-case words split at non-alphanumerics and case changes, the way the generator derives
    /// option names: <c>repo_slug</c> → repo, slug; <c>stopPipeline</c> → stop, pipeline; <c>HTMLUrl</c> → html, url.
    /// </summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var spaced = AcronymBoundary().Replace(text, "$1 $2");
        spaced = CaseBoundary().Replace(spaced, "$1 $2");
        return NonAlphanumeric().Split(spaced.ToLowerInvariant()).Where(w => w.Length > 0).ToArray();
    }

    /// <summary>Singular of the last word of a kebab name: <c>deploy-keys</c> → <c>deploy-key</c>.</summary>
    public static string Singular(string kebab)
    {
        var cut = kebab.LastIndexOf('-') + 1;
        var head = kebab[..cut];
        var word = kebab[cut..];
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 3)
        {
            word = word[..^3] + "y";
        }
        else if (word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("uses", StringComparison.Ordinal))
        {
            word = word[..^2];
        }
        else if (word.EndsWith('s') && word.Length > 1 && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal) && !Uncountable.Contains(word))
        {
            word = word[..^1];
        }

        return head + word;
    }

    /// <summary>Words that end in 's' but name one thing.</summary>
    private static readonly HashSet<string> Uncountable = new(StringComparer.Ordinal) { "settings", "details", "news", "series", "src" };

    /// <summary>True when the kebab name's last word reads as a plural (a collection).</summary>
    public static bool LooksPlural(string kebab) => Singular(kebab) != kebab;

    /// <summary>A path segment; <see cref="IsParameter"/> when it holds a <c>{placeholder}</c>.</summary>
    public readonly record struct Segment(string Text, bool IsParameter);

    public static IReadOnlyList<Segment> Segments(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => new Segment(s, s.Contains('{', StringComparison.Ordinal))).ToArray();

    /// <summary>
    /// The literal segments that name the resource, kebab-cased, without the owning container:
    /// <c>/repositories/{w}/{r}/refs/branches/{name}</c> → <c>refs, branches</c>;
    /// <c>/user/emails</c> → <c>user, emails</c>; <c>/repositories/{w}</c> → <c>repositories</c>.
    /// </summary>
    public static IReadOnlyList<string> ResourceChain(string path)
    {
        var segments = Segments(path);
        var literals = segments.Where(s => !s.IsParameter).Select(s => Kebab(s.Text)).ToList();
        var containerFirst = segments.Count > 1 && !segments[0].IsParameter && segments[1].IsParameter;
        if (containerFirst && literals.Count > 1)
        {
            literals.RemoveAt(0);
        }

        return literals.Count > 0 ? literals : ["root"];
    }

    /// <summary>
    /// The part of the path that owns the resource, parameters blanked: <c>/repositories/{}/{}</c> for
    /// <c>/repositories/{w}/{r}/pullrequests</c>, empty for <c>/pullrequests/{user}</c>.
    /// </summary>
    public static string Container(string path)
    {
        var segments = Segments(path);
        var literalIndexes = segments.Select((s, i) => (s, i)).Where(x => !x.s.IsParameter).Select(x => x.i).ToList();
        var containerFirst = segments.Count > 1 && !segments[0].IsParameter && segments[1].IsParameter;
        var start = literalIndexes.Count == 0 ? segments.Count : containerFirst && literalIndexes.Count > 1 ? literalIndexes[1] : literalIndexes[0];
        return string.Concat(segments.Take(start).Select(s => s.IsParameter ? "/{}" : "/" + s.Text));
    }

    public static string Group(ImportedOperation operation, string? forced, PathIndex paths) =>
        forced ?? (operation.Api == Apis.DataCenter ? DataCenterNaming.Group(operation, paths) : operation.Tag is { Length: > 0 } tag ? Kebab(tag) : ResourceChain(operation.OpenApiPath)[0]);

    /// <summary>The preferred command name, before de-duplication.</summary>
    /// <param name="paths">Every (method, path) of the document, so names do not depend on the selection.</param>
    public static string BaseName(ImportedOperation operation, string group, PathIndex paths)
    {
        if (operation.Api == Apis.DataCenter)
        {
            return DataCenterNaming.BaseName(operation, group, paths);
        }

        var path = operation.OpenApiPath;
        var segments = Segments(path);
        var endsWithParameter = segments.Count > 0 && segments[^1].IsParameter;
        var chain = ResourceChain(path).ToList();
        if (SameResource(chain[0], group))
        {
            chain.RemoveAt(0);
        }

        string verb;
        switch (operation.Method)
        {
            case "GET":
                // A page of values is a list even under a parameter (/repositories/{workspace}).
                var collection = operation.Paginated
                    || !endsWithParameter && (paths.HasItemChild(path) || segments.Count > 0 && LooksPlural(Kebab(segments[^1].Text)));
                verb = collection ? "list" : "get";
                break;
            case "POST" when !endsWithParameter && !paths.Has("GET", path):
                // POST to a path nobody lists is an action (approve, merge, stopPipeline): name it after the action.
                return chain.Count > 0 ? string.Join('-', chain) : "create";
            case "POST":
                verb = "create";
                break;
            case "DELETE" when !endsWithParameter && !paths.Has("GET", path) && paths.Has("POST", path) && chain.Count > 0:
                // Undoing an action: DELETE .../approve → unapprove.
                return "un" + string.Join('-', chain);
            case "DELETE":
                verb = "delete";
                break;
            case "PUT" or "PATCH":
                verb = "update";
                break;
            default:
                verb = Kebab(operation.Method);
                break;
        }

        if (chain.Count == 0)
        {
            return verb;
        }

        if (verb != "list")
        {
            chain[^1] = Singular(chain[^1]);
        }

        return verb + "-" + string.Join('-', chain);
    }

    /// <summary>Other names to try, in order, when the base name is taken.</summary>
    public static IEnumerable<string> Alternatives(ImportedOperation operation, string group, string baseName)
    {
        if (operation.Api == Apis.DataCenter)
        {
            foreach (var name in DataCenterNaming.Alternatives(operation, group, baseName))
            {
                yield return name;
            }

            yield break;
        }

        if (operation.OperationId is { Length: > 0 } id)
        {
            yield return Kebab(id);
        }

        var parameters = Segments(operation.OpenApiPath).Where(s => s.IsParameter).ToList();
        if (parameters.Count > 0)
        {
            yield return baseName + "-by-" + Kebab(parameters[^1].Text);
        }

        for (var n = 2; ; n++)
        {
            yield return baseName + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Whether the first path resource is what the group is about: <c>pullrequests</c> in group
    /// <c>pullrequests</c>, <c>issues</c> in group <c>issue-tracker</c>. Then names drop it.
    /// </summary>
    private static bool SameResource(string segment, string group)
    {
        var a = segment.Replace("-", "", StringComparison.Ordinal);
        var b = group.Replace("-", "", StringComparison.Ordinal);
        return a == b || Singular(a) == Singular(b) || Singular(segment) == group.Split('-')[0];
    }

    [GeneratedRegex("([A-Z]+)([A-Z][a-z])")]
    private static partial Regex AcronymBoundary();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CaseBoundary();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();
}

/// <summary>Every (method, OpenAPI path) in the document, for naming decisions that look at siblings.</summary>
internal sealed class PathIndex(IEnumerable<(string Method, string Path)> operations)
{
    private readonly HashSet<string> operations = operations.Select(o => o.Method + " " + o.Path).ToHashSet(StringComparer.Ordinal);

    public bool Has(string method, string path) => this.operations.Contains(method + " " + path);

    /// <summary>The path of every operation (a path appears once per method).</summary>
    public IEnumerable<string> Paths() => this.operations.Select(o => o[(o.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    /// <summary>True when <c>GET {path}/{something}</c> exists: the path is a collection of items.</summary>
    public bool HasItemChild(string path)
    {
        var prefix = "GET " + path.TrimEnd('/') + "/{";
        return this.operations.Any(o => o.StartsWith(prefix, StringComparison.Ordinal) && o.IndexOf('/', prefix.Length) < 0);
    }
}
