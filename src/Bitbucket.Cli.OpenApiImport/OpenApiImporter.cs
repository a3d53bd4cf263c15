using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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

                ImportOperation(refs, info, method, openApiPath, specPath, item, operation, operations, report);
            }
        }

        return new ImportResult(info, selected, operations, report, index);
    }

    /// <summary>Reads one selected operation into <paramref name="operations"/>; its fixes and any reason to skip it go to <paramref name="report"/>.</summary>
    private static void ImportOperation(
        OpenApiRefs refs, DocumentInfo info, string method, string openApiPath, string specPath, JsonObject item, JsonObject operation,
        List<ImportedOperation> operations, List<ReportLine> report)
    {
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
