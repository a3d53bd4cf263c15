using System.Text.Json.Nodes;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>The merged spec and what happened to each imported operation.</summary>
internal sealed record MergeResult(JsonObject Spec, IReadOnlyList<ReportLine> Report);

/// <summary>
/// Merges imported operations into a spec. Identity is method + path. An existing entry wins unless
/// it carries <c>"x-imported": true</c> (the importer wrote it and nobody curated it since): then it is
/// refreshed in place, keeping its group and name. New entries are appended with unique names, and
/// groups they need are declared.
/// </summary>
internal static class SpecMerger
{
    public const string ImportedMarker = "x-imported";
    public const string SchemaReference = "./docs/api-spec.schema.json";

    public static MergeResult Merge(JsonObject? existing, ImportResult import, ImportOptions options)
    {
        var spec = existing ?? NewSpec(import.Document);
        UpgradeToVersion2(spec, import.Document);
        var groups = spec["groups"] as JsonObject ?? throw new FormatException("the spec has no 'groups' object");
        var endpoints = spec["endpoints"] as JsonArray ?? throw new FormatException("the spec has no 'endpoints' array");

        var byIdentity = new Dictionary<string, int>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < endpoints.Count; i++)
        {
            // Imported entries are Cloud's (no "api"); another API's entries may share a group + name (spec v2).
            if (endpoints[i] is JsonObject entry && Text(entry["api"]) is "" or "cloud")
            {
                byIdentity.TryAdd(SpecIdentity.Of(Text(entry["method"]), Text(entry["path"])), i);
                taken.Add(CommandKey(ApiOf(entry), Text(entry["group"]), Text(entry["name"])));
            }
        }

        var report = new List<ReportLine>();
        var fresh = new List<ImportedOperation>();
        foreach (var operation in import.Operations)
        {
            if (!byIdentity.TryGetValue(operation.Identity, out var index))
            {
                fresh.Add(operation);
                continue;
            }

            var current = (JsonObject)endpoints[index]!;
            var (group, name) = (Text(current["group"]), Text(current["name"]));
            if (current[ImportedMarker] is JsonValue marker && marker.TryGetValue(out bool imported) && imported)
            {
                endpoints[index] = ToEntry(operation, group, name);
                report.Add(new(ReportKind.Refreshed, operation.Method, operation.Path, $"{group} {name}"));
            }
            else
            {
                report.Add(new(ReportKind.Kept, operation.Method, operation.Path, $"hand-written entry {group} {name} wins"));
            }
        }

        foreach (var (operation, group, name) in AssignNames(fresh, import.Paths, options.Group, taken))
        {
            endpoints.Add(ToEntry(operation, group, name));
            report.Add(new(ReportKind.Imported, operation.Method, operation.Path, $"{group} {name}"));
            if (!groups.ContainsKey(group))
            {
                groups[group] = new JsonObject
                {
                    ["description"] = operation.Tag is { Length: > 0 } tag && Naming.Kebab(tag) == group
                        ? $"Imported from the OpenAPI tag '{tag}'"
                        : $"Imported endpoints for {group}",
                };
            }
        }

        return new MergeResult(spec, report);
    }

    /// <summary>
    /// Gives every operation a (group, name) not yet taken. Within a clash the operation with the
    /// most common container in its group, then the shortest path, keeps the preferred name; the others fall back to their
    /// operationId, then "-by-&lt;last parameter&gt;", then a number. The result only depends on the
    /// input, so a re-import names things the same way.
    /// </summary>
    public static IReadOnlyList<(ImportedOperation Operation, string Group, string Name)> AssignNames(
        IReadOnlyList<ImportedOperation> operations, PathIndex paths, string? forcedGroup, HashSet<string> taken)
    {
        var wanted = operations
            .Select((operation, position) =>
            {
                var group = Naming.Group(operation, forcedGroup, paths);
                return (Operation: operation, Position: position, Group: group, Name: Naming.BaseName(operation, group, paths));
            })
            .ToList();

        // In a clash, prefer the operation living where most of its group lives (repository pull
        // requests over a user's pull requests), then the shorter path.
        var containers = wanted
            .GroupBy(w => (w.Group, Naming.Container(w.Operation.OpenApiPath)))
            .ToDictionary(g => g.Key, g => g.Count());
        var names = new string[wanted.Count];
        var ordered = wanted
            .OrderBy(w => w.Group, StringComparer.Ordinal)
            .ThenBy(w => w.Name, StringComparer.Ordinal)
            .ThenByDescending(w => containers[(w.Group, Naming.Container(w.Operation.OpenApiPath))])
            .ThenBy(w => w.Operation.Path.Length)
            .ThenBy(w => w.Operation.Path, StringComparer.Ordinal)
            .ThenBy(w => MethodRank(w.Operation.Method));

        // First pass: the preferred names, so a fallback never steals another operation's first choice.
        var deferred = new List<(ImportedOperation Operation, int Position, string Group, string Name)>();
        foreach (var w in ordered)
        {
            if (taken.Add(CommandKey(w.Operation.Api, w.Group, w.Name)))
            {
                names[w.Position] = w.Name;
            }
            else
            {
                deferred.Add(w);
            }
        }

        foreach (var w in deferred)
        {
            names[w.Position] = Naming.Alternatives(w.Operation, w.Group, w.Name).First(n => taken.Add(CommandKey(w.Operation.Api, w.Group, n)));
        }

        return wanted.Select(w => (w.Operation, w.Group, names[w.Position])).ToList();
    }

    /// <summary>
    /// "api group-name": equal keys mean the same command or the same generated C# member
    /// (<c>pull-requests list</c> and <c>pull requests-list</c> both make PullRequestsList). Names are
    /// unique per API: <c>branches list</c> may exist for Cloud and for Data Center.
    /// </summary>
    public static string CommandKey(string api, string group, string name) => api + " " + group + "-" + name;

    private static string ApiOf(JsonObject entry) => entry["api"] is JsonValue v && v.TryGetValue(out string? api) ? api : Apis.Cloud;

    /// <summary>A spec entry with keys in the spec format's order.</summary>
    public static JsonObject ToEntry(ImportedOperation operation, string group, string name)
    {
        var entry = new JsonObject();
        if (operation.Api != Apis.Cloud)
        {
            entry["api"] = operation.Api;
        }

        foreach (var (key, value) in new JsonObject
        {
            ["group"] = group,
            ["name"] = name,
            ["method"] = operation.Method,
            ["path"] = operation.Path,
            ["summary"] = operation.Summary,
        }.ToList())
        {
            entry[key] = value?.DeepClone();
        }

        if (operation.Deprecated)
        {
            entry["deprecated"] = true;
        }

        if (operation.Paginated)
        {
            entry["paginated"] = true;
        }

        if (operation.Parameters.Count > 0)
        {
            entry["parameters"] = new JsonArray(operation.Parameters.Select(ToParameter).ToArray<JsonNode?>());
        }

        if (operation.BodyKind != "none")
        {
            var body = new JsonObject { ["kind"] = operation.BodyKind };
            if (operation.Fields.Count > 0)
            {
                body["fields"] = new JsonArray(operation.Fields.Select(ToField).ToArray<JsonNode?>());
            }

            entry["body"] = body;
        }

        entry[ImportedMarker] = true;
        return entry;
    }

    private static JsonObject ToParameter(ImportedParameter parameter)
    {
        var result = new JsonObject { ["name"] = parameter.Name, ["in"] = parameter.In };
        if (parameter.Option is not null)
        {
            result["option"] = parameter.Option;
        }

        result["type"] = parameter.Type;
        if (parameter.Values.Count > 0)
        {
            result["values"] = new JsonArray(parameter.Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        if (parameter.Required)
        {
            result["required"] = true;
        }

        if (parameter.Default is not null)
        {
            result["default"] = parameter.Default.DeepClone();
        }

        return result;
    }

    private static JsonObject ToField(ImportedField field)
    {
        var result = new JsonObject { ["name"] = field.Name, ["type"] = field.Type };
        if (field.Required)
        {
            result["required"] = true;
        }

        if (field.Description is not null)
        {
            result["description"] = field.Description;
        }

        return result;
    }

    private static JsonObject NewSpec(DocumentInfo document) => new()
    {
        ["$schema"] = SchemaReference,
        ["specVersion"] = 2,
        ["apis"] = new JsonObject { [document.Api] = ApiEntry(document) },
        ["groups"] = new JsonObject(),
        ["endpoints"] = new JsonArray(),
    };

    /// <summary>
    /// The imported entries need format v2 (<c>option</c>, <c>api</c>): a v1 spec becomes v2 (its
    /// <c>api</c> object is the <c>cloud</c> API with v1's defaults), and the document's API is declared.
    /// </summary>
    private static void UpgradeToVersion2(JsonObject spec, DocumentInfo document)
    {
        if (spec["specVersion"] is JsonValue version && version.TryGetValue(out int number) && number == 1)
        {
            var old = spec["api"] as JsonObject;
            var rebuilt = new JsonObject();
            foreach (var (key, value) in spec.ToList())
            {
                if (key == "api")
                {
                    rebuilt["apis"] = new JsonObject { [Apis.Cloud] = CloudApi(Text(old?["name"]), Text(old?["description"]), Text(old?["baseUrl"])) };
                }
                else
                {
                    rebuilt[key] = key == "specVersion" ? 2 : value?.DeepClone();
                }
            }

            spec.Clear();
            foreach (var (key, value) in rebuilt.ToList())
            {
                rebuilt.Remove(key);
                spec[key] = value;
            }
        }

        if (spec["apis"] is JsonObject apis && !apis.ContainsKey(document.Api))
        {
            apis[document.Api] = ApiEntry(document);
        }
    }

    private static JsonObject ApiEntry(DocumentInfo document) => document.IsDataCenter
        ? DataCenterApi(document.Title)
        : CloudApi(document.Title, $"Imported from the OpenAPI description of {document.Title}", document.Origin);

    /// <summary>Bitbucket Cloud's API (v1's defaults): OAuth under /api/1.0, HMAC-SHA1, next-link pages.</summary>
    private static JsonObject CloudApi(string name, string description, string baseUrl) => new()
    {
        ["name"] = name.Length > 0 ? name : "Bitbucket Cloud",
        ["description"] = description.Length > 0 ? description : "Bitbucket Cloud REST API",
        // Without an absolute server URL there is no origin to take; bb's own API is the useful guess.
        ["baseUrl"] = baseUrl.Length > 0 ? baseUrl : "https://api.bitbucket.org",
        ["paging"] = "next",
        ["oauth"] = new JsonObject
        {
            ["requestToken"] = "/api/1.0/oauth/request_token",
            ["authorize"] = "/api/1.0/oauth/authenticate",
            ["accessToken"] = "/api/1.0/oauth/access_token",
            ["signatureMethod"] = "HMAC-SHA1",
        },
        ["currentUser"] = "/2.0/user",
    };

    /// <summary>Data Center's API: no default host, the OAuth servlet with RSA-SHA1, start/limit pages.</summary>
    private static JsonObject DataCenterApi(string name) => new()
    {
        ["name"] = name.Length > 0 ? name : "Bitbucket Data Center",
        ["description"] = $"Imported from the OpenAPI description of {name}",
        ["paging"] = "start-limit",
        ["oauth"] = new JsonObject
        {
            ["requestToken"] = "/plugins/servlet/oauth/request-token",
            ["authorize"] = "/plugins/servlet/oauth/authorize",
            ["accessToken"] = "/plugins/servlet/oauth/access-token",
            ["signatureMethod"] = "RSA-SHA1",
        },
        ["currentUser"] = "/plugins/servlet/applinks/whoami",
        ["probe"] = "/rest/api/latest/application-properties",
    };

    private static int MethodRank(string method) => Array.IndexOf(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], method);

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : "";
}
