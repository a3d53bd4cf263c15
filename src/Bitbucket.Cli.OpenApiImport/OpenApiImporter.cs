using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>The operations read from a document, plus what was repaired or left out and why.</summary>
internal sealed record ImportResult(DocumentInfo Document, int Selected, IReadOnlyList<ImportedOperation> Operations, IReadOnlyList<ReportLine> Report, PathIndex Paths);

/// <summary>
/// Translates OpenAPI 3 operations into spec entries: parameters with types, the body kind and its
/// fields, pagination, and repairs for paths whose placeholders and parameters disagree.
/// </summary>
internal static partial class OpenApiImporter
{
    private static readonly string[] SupportedMethods = ["get", "put", "post", "delete", "patch", "head"];
    private static readonly string[] AllMethods = [.. SupportedMethods, "options", "trace"];

    public static ImportResult Import(JsonObject document, ImportOptions options)
    {
        var refs = new OpenApiRefs(document);
        var info = ReadDocumentInfo(document, options.Api);
        var paths = document["paths"] as JsonObject ?? throw new FormatException("the document has no 'paths' object");
        var index = new PathIndex(
            from path in paths
            let item = refs.ResolveObject(path.Value)
            where item is not null
            from method in item
            where AllMethods.Contains(method.Key)
            select (method.Key.ToUpperInvariant(), path.Key));

        var operations = new List<ImportedOperation>();
        var report = new List<ReportLine>();
        var selected = 0;
        foreach (var (openApiPath, itemNode) in paths)
        {
            var item = refs.ResolveObject(itemNode);
            if (item is null)
            {
                continue;
            }

            foreach (var (key, operationNode) in item)
            {
                if (!AllMethods.Contains(key) || operationNode is not JsonObject operation)
                {
                    continue;
                }

                var method = key.ToUpperInvariant();
                var specPath = info.BasePath + openApiPath;
                if (!IsSelected(operation, openApiPath, specPath, options))
                {
                    continue;
                }

                selected++;
                if (!SupportedMethods.Contains(key))
                {
                    report.Add(new(ReportKind.Skipped, method, specPath, $"method {method} is not supported by the spec format"));
                    continue;
                }

                var notes = new List<string>();
                try
                {
                    var imported = ReadOperation(refs, info, method, openApiPath, item, operation, notes, out var skipReason);
                    report.AddRange(notes.Select(n => new ReportLine(ReportKind.Fixed, method, imported?.Path ?? specPath, n)));
                    if (imported is null)
                    {
                        report.Add(new(ReportKind.Skipped, method, specPath, skipReason!));
                    }
                    else
                    {
                        operations.Add(imported);
                    }
                }
                catch (OpenApiRefException ex)
                {
                    report.Add(new(ReportKind.Skipped, method, specPath, ex.Message));
                }
            }
        }

        return new ImportResult(info, selected, operations, report, index);
    }

    private static DocumentInfo ReadDocumentInfo(JsonObject document, string? api)
    {
        var title = (document["info"] as JsonObject)?["title"] is JsonValue t && t.TryGetValue(out string? s) ? s : "API";
        var url = ((document["servers"] as JsonArray)?.FirstOrDefault() as JsonObject)?["url"] is JsonValue u && u.TryGetValue(out string? v) ? v : "";
        string origin, basePath;
        if (ServerTemplate().Match(url) is { Success: true } template && template.Groups["authority"].Value.Contains('{', StringComparison.Ordinal))
        {
            // http://{baseurl}/rest: the host is the user's, only the path is known.
            (origin, basePath) = ("", template.Groups["path"].Value.TrimEnd('/'));
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            (origin, basePath) = (absolute.GetLeftPart(UriPartial.Authority), absolute.AbsolutePath.TrimEnd('/'));
        }
        else
        {
            // A relative server URL ("/2.0") is only a base path.
            (origin, basePath) = ("", url.StartsWith('/') ? url.TrimEnd('/') : "");
        }

        // Data Center serves every REST area under /rest (/rest/api/latest, /rest/branch-utils/latest, ...).
        api ??= basePath == "/rest" ? Apis.DataCenter : Apis.Cloud;
        return new DocumentInfo(title, origin, basePath, api);
    }

    private static bool IsSelected(JsonObject operation, string openApiPath, string specPath, ImportOptions options)
    {
        if (options.Tags.Count > 0)
        {
            var tags = (operation["tags"] as JsonArray ?? []).Select(StringOf).OfType<string>();
            if (!tags.Any(t => options.Tags.Contains(t, StringComparer.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return options.PathPrefixes.Count == 0
            || options.PathPrefixes.Any(p => openApiPath.StartsWith(p, StringComparison.Ordinal) || specPath.StartsWith(p, StringComparison.Ordinal));
    }

    private static ImportedOperation? ReadOperation(
        OpenApiRefs refs, DocumentInfo info, string method, string openApiPath, JsonObject item, JsonObject operation, List<string> notes, out string? skipReason)
    {
        skipReason = null;
        var parameters = ReadParameters(refs, item, operation, notes, ref skipReason);
        if (parameters is null)
        {
            return null;
        }

        var path = RepairPath(openApiPath, parameters, notes, ref skipReason);
        if (path is null)
        {
            return null;
        }

        // Naming looks up sibling operations by the document's own path.
        var documentPath = path;
        if (info.IsDataCenter)
        {
            path = SnakeCasePlaceholders(path, parameters);
        }

        var (bodyKind, fields) = ReadBody(refs, operation, notes, ref skipReason);
        if (bodyKind is null)
        {
            return null;
        }

        var paginated = IsPaginated(refs, operation);
        if (info.IsDataCenter && TakeStartLimitPaging(parameters, notes))
        {
            paginated = true;
        }

        if (!RenameClashingOptions(parameters, bodyKind != "none", notes, ref skipReason))
        {
            return null;
        }

        var tag = (operation["tags"] as JsonArray)?.Select(StringOf).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
        var operationId = StringOf(operation["operationId"]);
        var specPath = info.BasePath + path;
        var summary = OneLine(StringOf(operation["summary"]));
        return new ImportedOperation(
            method,
            specPath,
            documentPath,
            tag,
            operationId,
            summary.Length > 0 ? summary : $"{method} {specPath}",
            operation["deprecated"] is JsonValue d && d.TryGetValue(out bool deprecated) && deprecated,
            paginated,
            parameters,
            bodyKind,
            fields,
            info.Api);
    }

    private static List<ImportedParameter>? ReadParameters(OpenApiRefs refs, JsonObject item, JsonObject operation, List<string> notes, ref string? skipReason)
    {
        // Operation-level parameters override path-level ones with the same name and location.
        var byKey = new Dictionary<(string Name, string In), JsonObject>();
        var order = new List<(string Name, string In)>();
        foreach (var source in new[] { item["parameters"], operation["parameters"] })
        {
            var seen = new HashSet<(string, string)>();
            foreach (var node in source as JsonArray ?? [])
            {
                if (refs.ResolveObject(node) is not { } parameter || StringOf(parameter["name"]) is not { Length: > 0 } name)
                {
                    continue;
                }

                var key = (name, StringOf(parameter["in"]) ?? "");
                if (!seen.Add(key))
                {
                    notes.Add($"{key.Item2} parameter '{name}' is declared twice; kept the first");
                    continue;
                }

                if (!byKey.ContainsKey(key))
                {
                    order.Add(key);
                }

                byKey[key] = parameter;
            }
        }

        var result = new List<ImportedParameter>();
        foreach (var key in order)
        {
            var parameter = byKey[key];
            var required = parameter["required"] is JsonValue r && r.TryGetValue(out bool isRequired) && isRequired;
            if (key.In is not ("path" or "query" or "header"))
            {
                if (required)
                {
                    skipReason = $"required {key.In} parameter '{key.Name}' cannot be expressed (path, query and header only)";
                    return null;
                }

                notes.Add($"dropped optional {key.In} parameter '{key.Name}' (path, query and header only)");
                continue;
            }

            // OpenAPI 3 puts the type under "schema"; Swagger 2 style parameters carry it inline.
            var schema = refs.ResolveObject(parameter["schema"]) ?? parameter;
            var (type, values) = ParameterType(schema, key.Name, notes);
            var @default = schema["default"] is JsonValue dv && dv.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                && (type != "enum" || values.Contains(ScalarText(dv)))
                ? (JsonValue)dv.DeepClone()
                : null;
            // A default only matters for an optional query/header parameter.
            result.Add(new ImportedParameter(key.Name, key.In, type, values, key.In != "path" && required, key.In == "path" || required ? null : @default));
        }

        return result;
    }

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

    private static (string? Kind, IReadOnlyList<ImportedField> Fields) ReadBody(OpenApiRefs refs, JsonObject operation, List<string> notes, ref string? skipReason)
    {
        if (refs.ResolveObject(operation["requestBody"]) is not { } body || body["content"] is not JsonObject { Count: > 0 } content)
        {
            return ("none", []);
        }

        var mediaTypes = content.Select(c => (Name: c.Key.Split(';')[0].Trim().ToLowerInvariant(), Value: c.Value as JsonObject)).ToList();
        var json = mediaTypes.FirstOrDefault(m => m.Name == "application/json" || m.Name.EndsWith("+json", StringComparison.Ordinal));
        var form = mediaTypes.FirstOrDefault(m => m.Name == "application/x-www-form-urlencoded");
        var chosen = json.Name is not null ? ("json", json.Value) : form.Name is not null ? ("form", form.Value) : (null, null);
        if (chosen.Item1 is null)
        {
            skipReason = $"request body type {string.Join(", ", mediaTypes.Select(m => m.Name))} is not supported (json and form only)";
            return (null, []);
        }

        var schema = refs.ResolveObject(chosen.Item2?["schema"]);
        return (chosen.Item1, schema is null ? [] : ReadFields(refs, schema, notes));
    }

    private static List<ImportedField> ReadFields(OpenApiRefs refs, JsonObject schema, List<string> notes)
    {
        var properties = new List<(string Name, JsonObject Schema)>();
        var required = new HashSet<string>(StringComparer.Ordinal);
        CollectProperties(refs, schema, properties, required, depth: 0);

        var fields = new List<ImportedField>();
        foreach (var (name, property) in properties.DistinctBy(p => p.Name))
        {
            if (property["readOnly"] is JsonValue ro && ro.TryGetValue(out bool readOnly) && readOnly)
            {
                continue;
            }

            if (name.Length == 0 || name.Contains('.', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
            {
                notes.Add($"body property '{name}' left out: its name cannot be a field name");
                continue;
            }

            var type = StringOf(property["type"]) switch
            {
                "string" => "string",
                "integer" => "integer",
                "boolean" => "boolean",
                "number" => "number",
                "array" => "array",
                _ => "object",
            };
            var description = property["enum"] is JsonArray { Count: > 0 } values
                ? "One of: " + string.Join(", ", values.OfType<JsonValue>().Select(ScalarText))
                : null;
            fields.Add(new ImportedField(name, type, required.Contains(name), description));
        }

        return fields;
    }

    private static void CollectProperties(OpenApiRefs refs, JsonObject schema, List<(string, JsonObject)> properties, HashSet<string> required, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        foreach (var part in schema["allOf"] as JsonArray ?? [])
        {
            if (refs.ResolveObject(part) is { } resolved)
            {
                CollectProperties(refs, resolved, properties, required, depth + 1);
            }
        }

        foreach (var (name, node) in schema["properties"] as JsonObject ?? [])
        {
            var property = node as JsonObject;
            // Keep the $ref'd property's type, but a sibling readOnly on the reference itself still counts.
            var resolved = refs.ResolveObject(property);
            if (resolved is not null)
            {
                if (property?["readOnly"] is JsonValue ro && !ReferenceEquals(resolved, property))
                {
                    resolved = (JsonObject)resolved.DeepClone();
                    resolved["readOnly"] = ro.DeepClone();
                }

                properties.Add((name, resolved));
            }
        }

        foreach (var name in schema["required"] as JsonArray ?? [])
        {
            if (name is JsonValue v && v.TryGetValue(out string? s))
            {
                required.Add(s);
            }
        }
    }

    /// <summary>A Bitbucket-style page: the 200 response's object has <c>values</c> (array) and <c>next</c>.</summary>
    private static bool IsPaginated(OpenApiRefs refs, JsonObject operation)
    {
        var responses = refs.ResolveObject(operation["responses"]);
        var ok = refs.ResolveObject(responses?["200"]) ?? refs.ResolveObject(responses?["2XX"]);
        if (ok?["content"] is not JsonObject content)
        {
            return false;
        }

        var json = content.FirstOrDefault(c => c.Key.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
        if (refs.ResolveObject(json?["schema"]) is not { } schema)
        {
            return false;
        }

        var properties = new List<(string Name, JsonObject Schema)>();
        CollectProperties(refs, schema, properties, [], depth: 0);
        return properties.Any(p => p.Name == "next")
            && properties.Any(p => p.Name == "values" && StringOf(p.Schema["type"]) == "array");
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static string ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(), // numbers: JSON's own invariant spelling
    };

    private static string OneLine(string? text) => text is null ? "" : Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\{([^}/]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://(?<authority>[^/]*)(?<path>/.*)?$")]
    private static partial Regex ServerTemplate();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
