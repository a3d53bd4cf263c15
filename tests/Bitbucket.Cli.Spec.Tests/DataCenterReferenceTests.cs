using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// Every Data Center entry of api-spec.json (<c>"api": "datacenter"</c>) against Atlassian's Bitbucket Data
/// Center 9.2 OpenAPI document, read where it lies next to the repository (<c>../shared/reference/</c>,
/// or the file named by <c>BB_DC_REFERENCE</c>); it is never copied into the project. Without it the
/// test is reported as skipped, with the reason. The checks themselves are pinned by small made-up
/// references below, which always run.
/// </summary>
public sealed partial class DataCenterReferenceTests
{
    [DataCenterReferenceFact]
    public void Every_data_center_entry_matches_the_reference_and_copies_none_of_its_text()
    {
        var reference = JsonNode.Parse(File.ReadAllText(DataCenterReferenceFactAttribute.ReferencePath))!.AsObject();
        var spec = JsonNode.Parse(File.ReadAllText(TestPaths.ApiSpec))!.AsObject();
        var entries = spec["endpoints"]!.AsArray().Select(e => e!.AsObject()).Where(e => (string?)e["api"] == "datacenter").ToList();

        var problems = ReferenceCheck.Check(reference, spec);

        Assert.True(entries.Count >= 100, $"only {entries.Count} Data Center entries");
        Assert.Empty(problems);
    }

    [Fact]
    public void A_path_the_reference_lacks_is_a_problem()
    {
        var problems = ReferenceCheck.Check(Reference, Spec(Entry(path: "/rest/api/latest/projects/{project_key}/nothing")));

        Assert.Equal(["projects list: no GET /rest/api/latest/projects/{project_key}/nothing in the reference"], problems);
    }

    [Fact]
    public void Placeholders_are_matched_by_position_whatever_their_names_and_must_be_as_many()
    {
        Assert.Empty(ReferenceCheck.Check(Reference, Spec(Entry())));
        var problems = ReferenceCheck.Check(Reference, Spec(Entry(path: "/rest/api/latest/projects/{a}/repos/{b}")));

        Assert.Equal(["projects list: no GET /rest/api/latest/projects/{a}/repos/{b} in the reference"], problems);
    }

    [Fact]
    public void A_query_parameter_the_operation_lacks_is_a_problem()
    {
        var problems = ReferenceCheck.Check(Reference, Spec(Entry(query: """{ "name": "sort", "in": "query" }""")));

        Assert.Equal(["projects list: query parameter sort is not on getRepos"], problems);
    }

    [Fact]
    public void A_paginated_entry_needs_start_and_limit_on_the_operation()
    {
        Assert.Empty(ReferenceCheck.Check(Reference, Spec(Entry(paginated: true))));

        var problems = ReferenceCheck.Check(Reference, Spec(Entry(path: "/rest/api/latest/projects/{project_key}", query: null, paginated: true)));

        Assert.Equal(["projects list: paginated, but getProject takes no start/limit"], problems);
    }

    [Theory]
    [InlineData("Lists the repositories of a project that the <b>caller</b> is allowed to see, one page at a time.", "shares 8 words with the reference: the repositories of a project that the caller")]
    [InlineData("Retrieve a page of repositories.", "equals a reference text")]
    public void Text_copied_from_the_reference_is_a_problem(string description, string why)
    {
        var problems = ReferenceCheck.Check(Reference, Spec(Entry(description: description)));

        Assert.Equal(["projects list: description " + why], problems);
    }

    [Fact]
    public void Own_words_on_the_same_subject_are_not_a_copy()
    {
        Assert.Empty(ReferenceCheck.Check(Reference, Spec(Entry(description: "Shows the repositories of one project that you may see."))));
    }

    [Fact]
    public void Cloud_entries_are_not_checked_against_the_data_center_reference()
    {
        var cloud = Entry(path: "/2.0/repositories/{workspace}").Replace("\"api\": \"datacenter\", ", string.Empty, StringComparison.Ordinal);

        Assert.Empty(ReferenceCheck.Check(Reference, Spec(cloud)));
    }

    private static readonly JsonObject Reference = JsonNode.Parse("""
        {
          "servers": [ { "url": "http://{baseurl}/rest" } ],
          "paths": {
            "/api/latest/projects/{projectKey}/repos": {
              "parameters": [ { "$ref": "#/components/parameters/projectKey" } ],
              "get": {
                "operationId": "getRepos",
                "summary": "Retrieve a page of repositories.",
                "description": "Retrieve the repositories of a project that the <b>caller</b> is authorized to see.",
                "parameters": [
                  { "name": "start", "in": "query" },
                  { "name": "limit", "in": "query" },
                  { "name": "name", "in": "query" }
                ]
              }
            },
            "/api/latest/projects/{projectKey}": {
              "get": { "operationId": "getProject", "parameters": [ { "name": "projectKey", "in": "path" } ] }
            }
          },
          "components": { "parameters": { "projectKey": { "name": "projectKey", "in": "path" } } }
        }
        """)!.AsObject();

    private static string Entry(
        string path = "/rest/api/latest/projects/{project_key}/repos",
        string description = "Shows one page of a project's repositories.",
        string? query = """{ "name": "name", "in": "query" }""",
        bool paginated = false)
        => $$"""
            { "api": "datacenter", "group": "projects", "name": "list", "method": "GET", "path": "{{path}}",
              "summary": "List repositories", "description": "{{description}}", "paginated": {{(paginated ? "true" : "false")}},
              "parameters": [ { "name": "project_key", "in": "path" }{{(query is null ? string.Empty : ", " + query)}} ] }
            """;

    private static JsonObject Spec(string entry) => JsonNode.Parse($$"""{ "groups": {}, "endpoints": [ {{entry}} ] }""")!.AsObject();
}

/// <summary>The reference checks (the same as /work/wt/dcspec/check.py's core ones), as data in, problems out.</summary>
internal static partial class ReferenceCheck
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch", "head"];

    /// <returns>One line per problem, <c>"group name: what"</c>; empty when every Data Center entry fits.</returns>
    public static List<string> Check(JsonObject reference, JsonObject spec)
    {
        var prefix = SchemeAndHost().Replace((string)reference["servers"]![0]!["url"]!, string.Empty);
        var operations = new Dictionary<string, (JsonObject Operation, List<JsonObject> Parameters)>(StringComparer.Ordinal);
        foreach (var (path, item) in reference["paths"]!.AsObject())
        {
            foreach (var method in Methods)
            {
                if (item![method] is JsonObject operation)
                {
                    var parameters = (item["parameters"]?.AsArray() ?? []).Concat(operation["parameters"]?.AsArray() ?? [])
                        .Select(p => Resolve(reference, p!))
                        .ToList();
                    operations[method.ToUpperInvariant() + " " + Normalise(prefix + path)] = (operation, parameters);
                }
            }
        }

        var prose = new ReferenceProse(reference);
        var problems = new List<string>();
        foreach (var entry in spec["endpoints"]!.AsArray().Select(e => e!.AsObject()).Where(e => (string?)e["api"] == "datacenter"))
        {
            var command = $"{entry["group"]} {entry["name"]}";
            var mine = new List<string>();
            var method = (string)entry["method"]!;
            var path = (string)entry["path"]!;
            var parameters = entry["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
            if (!operations.TryGetValue(method + " " + Normalise(path), out var found))
            {
                mine.Add($"no {method} {path} in the reference");
            }
            else
            {
                var id = (string?)found.Operation["operationId"] ?? "?";
                var query = found.Parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToHashSet(StringComparer.Ordinal);
                foreach (var p in parameters.Where(p => (string?)p["in"] == "query"))
                {
                    if (!query.Contains((string)p["name"]!))
                    {
                        mine.Add($"query parameter {p["name"]} is not on {id}");
                    }
                }

                if ((bool?)entry["paginated"] == true && !(query.Contains("start") && query.Contains("limit")))
                {
                    mine.Add($"paginated, but {id} takes no start/limit");
                }
            }

            var texts = new List<(string Where, string? Text)> { ("summary", (string?)entry["summary"]), ("description", (string?)entry["description"]) };
            texts.AddRange(parameters.Select(p => ($"parameter {p["name"]}", (string?)p["description"])));
            texts.AddRange((entry["body"]?["fields"]?.AsArray() ?? []).Select(f => ($"field {f!["name"]}", (string?)f["description"])));
            foreach (var (where, text) in texts)
            {
                if (prose.Copied(text) is { } why)
                {
                    mine.Add($"{where} {why}");
                }
            }

            problems.AddRange(mine.Select(m => command + ": " + m));
        }

        foreach (var (name, group) in spec["groups"]!.AsObject())
        {
            if (prose.Copied((string?)group!["description"]) is { } why)
            {
                problems.Add($"group {name}: description {why}");
            }
        }

        return problems;
    }

    /// <summary>Placeholder names differ (<c>{projectKey}</c> there, <c>{project_key}</c> here); only their places count.</summary>
    private static string Normalise(string path) => Placeholder().Replace(path, "{}");

    private static JsonObject Resolve(JsonObject reference, JsonNode node)
    {
        for (var depth = 0; depth < 20 && node["$ref"] is JsonValue target; depth++)
        {
            JsonNode current = reference;
            foreach (var part in ((string)target!).TrimStart('#', '/').Split('/'))
            {
                current = current[part]!;
            }

            node = current;
        }

        return node.AsObject();
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[a-z]+://[^/]*")]
    private static partial Regex SchemeAndHost();

    /// <summary>The reference's summaries, descriptions and titles, as words, for the copy check.</summary>
    private sealed partial class ReferenceProse
    {
        private const int Run = 8;
        private readonly HashSet<string> texts = new(StringComparer.Ordinal);
        private readonly HashSet<string> runs = new(StringComparer.Ordinal);

        public ReferenceProse(JsonNode reference)
        {
            Collect(reference);
        }

        /// <summary>Why <paramref name="text"/> counts as copied, or null.</summary>
        public string? Copied(string? text)
        {
            var words = Words(text);
            if (words.Count == 0)
            {
                return null;
            }

            if (this.texts.Contains(string.Join(' ', words)))
            {
                return "equals a reference text";
            }

            for (var i = 0; i + Run <= words.Count; i++)
            {
                var run = string.Join(' ', words.Skip(i).Take(Run));
                if (runs.Contains(run))
                {
                    return "shares 8 words with the reference: " + run;
                }
            }

            return null;
        }

        private void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key is "description" or "summary" or "title" && value is JsonValue v && v.TryGetValue<string>(out var text))
                        {
                            var words = Words(text);
                            this.texts.Add(string.Join(' ', words));
                            for (var i = 0; i + Run <= words.Count; i++)
                            {
                                runs.Add(string.Join(' ', words.Skip(i).Take(Run)));
                            }
                        }
                        else
                        {
                            Collect(value);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Collect(item);
                    }

                    break;
            }
        }

        /// <summary>Lower-case words and numbers; the reference's prose carries HTML tags, which are not words.</summary>
        private static List<string> Words(string? text)
            => text is null ? [] : Word().Matches(Tag().Replace(text, " ").ToLowerInvariant()).Select(m => m.Value).ToList();

        [GeneratedRegex("<[^>]+>")]
        private static partial Regex Tag();

        [GeneratedRegex("[a-z0-9]+")]
        private static partial Regex Word();
    }
}

/// <summary>
/// A fact that needs the Data Center 9.2 OpenAPI reference: skipped, saying where it looked, when the file is absent.
/// The file is <c>../shared/reference/bitbucket-datacenter-9.2-openapi.json</c> from the repository root,
/// or the path in <c>BB_DC_REFERENCE</c>.
/// </summary>
public sealed class DataCenterReferenceFactAttribute : FactAttribute
{
    public const string Variable = "BB_DC_REFERENCE";

    public DataCenterReferenceFactAttribute()
    {
        if (!File.Exists(ReferencePath))
        {
            Skip = $"the Data Center reference is not at {ReferencePath} (set {Variable} to its path to run this check)";
        }
    }

    public static string ReferencePath => TestPaths.DataCenterReference;
}
