using System.Text.Json.Nodes;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>Parameters: Data Center placeholders and paging, option names that clash, types, and paths repaired to match.</summary>
internal static partial class OpenApiImporter
{
    /// <summary>Data Center's camelCase placeholders in spec style: <c>{projectKey}</c> → <c>{project_key}</c>, <c>{repositorySlug}</c> → <c>{repo_slug}</c>.</summary>
    private static string SnakeCasePlaceholders(string path, List<ImportedParameter> parameters)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var snake = DataCenterNaming.Placeholder(parameter.Name);
            if (parameter.In != "path" || snake == parameter.Name || parameters.Any(p => p.In == "path" && p.Name == snake))
            {
                continue;
            }

            path = path.Replace("{" + parameter.Name + "}", "{" + snake + "}", StringComparison.Ordinal);
            parameters[i] = parameter with { Name = snake };
        }

        return path;
    }

    /// <summary>
    /// Data Center pages with <c>start</c> and <c>limit</c>: bb's paging sets <c>start</c> itself, and
    /// <c>limit</c> (bb's own --limit caps the items printed) stays as the page size, <c>--page-size</c>.
    /// </summary>
    /// <returns>True when the operation takes both query parameters, i.e. it returns a page.</returns>
    private static bool TakeStartLimitPaging(List<ImportedParameter> parameters, List<string> notes)
    {
        var start = parameters.FindIndex(p => p.In == "query" && p.Name == "start");
        var limit = parameters.FindIndex(p => p.In == "query" && p.Name == "limit");
        if (start < 0 || limit < 0)
        {
            return false;
        }

        parameters[limit] = parameters[limit] with { Option = PageSizeOption, Required = false };
        parameters.RemoveAt(start);
        notes.Add("start/limit paging: 'start' left to bb's paging, 'limit' is --page-size");
        return true;
    }

    /// <summary>The option a Data Center <c>limit</c> parameter gets (the generator suggests the same).</summary>
    public const string PageSizeOption = "page-size";

    /// <summary>
    /// Every command already has some options (bb's --format, --query, ...; -f/-F/--input with a body;
    /// BbOptionNames, the list the generator checks too), and each parameter's option name must be its
    /// own. A query or header parameter that would reuse one gets an option of its own (spec v2's
    /// <c>"option"</c>): <c>api-&lt;name&gt;</c>, as the generator suggests, then a number. Only a path
    /// parameter (an argument, no option) or one without letters or digits cannot be helped.
    /// </summary>
    private static bool RenameClashingOptions(List<ImportedParameter> parameters, bool hasBody, List<string> notes, ref string? skipReason)
    {
        // The C# name comes from the wire name whatever the option: two parameters deriving the same
        // one cannot both stay (the generator's BB0037), so the later one is left out as before.
        var derived = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var cli = CliName(parameter.Name);
            if (cli.Length > 0 && derived.Add(cli))
            {
                continue;
            }

            var why = cli.Length == 0 ? "has no letters or digits for an option name" : $"has the same option name (--{cli}) as another parameter";
            if (parameter.In == "path" || parameter.Required)
            {
                skipReason = $"required {parameter.In} parameter '{parameter.Name}' {why}";
                return false;
            }

            notes.Add($"left out {parameter.In} parameter '{parameter.Name}': it {why}");
            parameters.RemoveAt(i--);
        }

        var options = new HashSet<string>(parameters.Select(p => p.Option ?? CliName(p.Name)), StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var cli = CliName(parameter.Name);
            if (parameter.In == "path" || parameter.Option is not null || BbOptionNames.Taken(cli, hasBody) is not { } taken)
            {
                continue;
            }

            var renamed = "api-" + cli;
            for (var n = 2; BbOptionNames.Taken(renamed, hasBody) is not null || !options.Add(renamed); n++)
            {
                renamed = "api-" + cli + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            parameters[i] = parameter with { Option = renamed };
            notes.Add($"{parameter.In} parameter '{parameter.Name}' is --{renamed}: --{cli} would reuse bb's own {taken}");
        }

        return true;
    }

    /// <summary>The option name bb derives from a wire name (as the generator does): <c>repo_slug</c> → <c>repo-slug</c>.</summary>
    private static string CliName(string wireName) => string.Join('-', Naming.Words(wireName));

    private static (string Type, IReadOnlyList<string> Values) ParameterType(JsonObject schema, string name, List<string> notes)
    {
        if (schema["enum"] is JsonArray { Count: > 0 } enumValues)
        {
            var values = enumValues.Where(v => v is JsonValue).Select(v => ScalarText((JsonValue)v!)).Distinct(StringComparer.Ordinal).ToArray();
            if (values.Length > 0)
            {
                return ("enum", values);
            }
        }

        switch (StringOf(schema["type"]))
        {
            case "integer":
                return ("integer", []);
            case "boolean":
                return ("boolean", []);
            case "array":
                notes.Add($"array parameter '{name}' imported as a single string value");
                return ("string", []);
            default:
                return ("string", []);
        }
    }

    /// <summary>
    /// Makes <c>{placeholders}</c> and path parameters agree. The document has a few known slips: a
    /// parameter declared under another name than its placeholder, a trailing slash where the item
    /// placeholder went missing, path parameters that belong to a sibling path, placeholders never declared.
    /// </summary>
    private static string? RepairPath(string path, List<ImportedParameter> parameters, List<string> notes, ref string? skipReason)
    {
        var placeholders = Placeholder().Matches(path).Select(m => m.Groups[1].Value).ToList();
        if (placeholders.Distinct(StringComparer.Ordinal).Count() != placeholders.Count)
        {
            skipReason = "the path uses the same placeholder twice";
            return null;
        }

        var declared = parameters.Where(p => p.In == "path").Select(p => p.Name).ToList();
        var missing = placeholders.Except(declared, StringComparer.Ordinal).ToList();
        var extra = declared.Except(placeholders, StringComparer.Ordinal).ToList();

        if (missing.Count == 1 && extra.Count == 1)
        {
            var i = parameters.FindIndex(p => p.In == "path" && p.Name == extra[0]);
            parameters[i] = parameters[i] with { Name = missing[0] };
            notes.Add($"path parameter '{extra[0]}' renamed to '{missing[0]}' to match the placeholder");
            return path;
        }

        if (missing.Count == 0 && extra.Count == 1 && path.EndsWith('/'))
        {
            notes.Add($"path ends with '/' and parameter '{extra[0]}' has no placeholder; appended {{{extra[0]}}}");
            return path + "{" + extra[0] + "}";
        }

        foreach (var name in extra)
        {
            parameters.RemoveAll(p => p.In == "path" && p.Name == name);
            notes.Add($"dropped path parameter '{name}': the path has no {{{name}}} placeholder");
        }

        foreach (var name in missing)
        {
            parameters.Add(new ImportedParameter(name, "path", "string", [], false, null));
            notes.Add($"placeholder {{{name}}} had no parameter; added a string path parameter");
        }

        return path;
    }
}
