using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.Cli.OpenApiImport;
using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>The curated api-spec.json: valid, complete enough, consistent, and accepted by the generator.</summary>
public sealed partial class ApiSpecTests
{
    private static readonly string Text = File.ReadAllText(TestPaths.ApiSpec);
    private static readonly JsonObject Spec = (JsonObject)JsonNode.Parse(Text)!;
    private static readonly List<JsonObject> Endpoints = Spec["endpoints"]!.AsArray().Select(e => e!.AsObject()).ToList();

    /// <summary>The Bitbucket Cloud endpoints (no <c>"api"</c>, or <c>"api": "cloud"</c>); Data Center's are checked against their reference in DataCenterReferenceTests.</summary>
    private static readonly List<JsonObject> CloudEndpoints = Endpoints.Where(e => Api(e) == "cloud").ToList();

    [Fact]
    public void Validates_against_the_schema()
    {
        Assert.Empty(SpecSchema.Validate(Text));
    }

    [Fact]
    public void References_the_schema()
    {
        Assert.Equal("./docs/api-spec.schema.json", (string?)Spec["$schema"]);
    }

    [Fact]
    public void Has_at_least_80_operations()
    {
        Assert.True(Endpoints.Count >= 80, $"only {Endpoints.Count} endpoints");
    }

    [Fact]
    public void Every_endpoint_has_a_one_line_summary()
    {
        var missing = Endpoints
            .Where(e => string.IsNullOrWhiteSpace((string?)e["summary"]) || ((string)e["summary"]!).Contains('\n', StringComparison.Ordinal))
            .Select(Command);
        Assert.Empty(missing);
    }

    [Fact]
    public void Descriptions_are_one_or_two_sentences()
    {
        var wordy = Endpoints
            .Where(e => e["description"] is JsonValue d && SentenceEnd().Matches((string)d!).Count > 2)
            .Select(Command);
        Assert.Empty(wordy);
    }

    [Fact]
    public void Group_and_name_are_unique_per_api()
    {
        var duplicates = Endpoints.GroupBy(e => Api(e) + " " + Command(e)).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Method_and_path_are_unique_per_api_unless_the_body_tells_the_commands_apart()
    {
        // Data Center sets a participant's status (approve, unapprove, needs-work) with one PUT and different bodies.
        var duplicates = Endpoints.GroupBy(e => $"{Api(e)} {e["method"]} {e["path"]}")
            .Where(g => g.Count() > 1 && g.Any(e => e["body"] is null))
            .Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_group_is_declared_and_used()
    {
        var declared = Spec["groups"]!.AsObject().Select(g => g.Key).ToHashSet();
        var used = Endpoints.Select(e => (string)e["group"]!).ToHashSet();
        Assert.Empty(used.Except(declared));
        Assert.Empty(declared.Except(used));
    }

    [Fact]
    public void Cloud_lists_are_paginated_and_have_columns()
    {
        // Some Data Center lists are not paged by the server (its reference says so), e.g. webhooks list.
        var lists = CloudEndpoints.Where(e => (string?)e["name"] == "list").ToList();
        Assert.NotEmpty(lists);
        Assert.All(lists, e => Assert.True((bool?)e["paginated"] == true && e["columns"] is JsonArray { Count: > 0 }, Command(e)));
    }

    [Fact]
    public void Curated_entries_carry_no_import_marker()
    {
        Assert.Empty(Endpoints.Where(e => e.ContainsKey(SpecMerger.ImportedMarker)).Select(Command));
    }

    /// <summary>
    /// The file may be edited by hand in any JSON layout (docs/adding-endpoints.md shows ordinary
    /// indented JSON); only the importer keeps to its own tidy layout when it rewrites the file.
    /// </summary>
    [Fact]
    public void The_importer_rewrites_it_without_changing_its_content_and_in_a_stable_layout()
    {
        var written = SpecWriter.Write(JsonNode.Parse(Text)!);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Text), JsonNode.Parse(written)), "SpecWriter changed the content");
        Assert.Equal(written, SpecWriter.Write(JsonNode.Parse(written)!));
    }

    [Fact]
    public void Ordinary_indented_json_is_as_valid_as_the_importer_layout()
    {
        var indented = JsonNode.Parse(Text)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.NotEqual(SpecWriter.Write(JsonNode.Parse(Text)!), indented); // the two layouts really differ

        Assert.Empty(SpecSchema.Validate(indented));
        var (result, compilation) = GeneratorHarness.RunAndCompile(indented);
        Assert.Empty(result.Diagnostics.Select(GeneratorHarness.Explain));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorHarness.Explain));
    }

    [Theory]
    [InlineData("user", "get", "GET", "/2.0/user")]
    [InlineData("repos", "list", "GET", "/2.0/repositories/{workspace}")]
    [InlineData("repos", "get", "GET", "/2.0/repositories/{workspace}/{repo_slug}")]
    [InlineData("branches", "list", "GET", "/2.0/repositories/{workspace}/{repo_slug}/refs/branches")]
    [InlineData("prs", "create", "POST", "/2.0/repositories/{workspace}/{repo_slug}/pullrequests")]
    public void Keeps_the_entries_other_code_depends_on(string group, string name, string method, string path)
    {
        var endpoint = Assert.Single(CloudEndpoints, e => (string?)e["group"] == group && (string?)e["name"] == name);
        Assert.Equal(method, (string?)endpoint["method"]);
        Assert.Equal(path, (string?)endpoint["path"]);
    }

    [Fact]
    public void Repos_list_keeps_its_options()
    {
        var endpoint = CloudEndpoints.Single(e => Command(e) == "repos list");
        var parameters = endpoint["parameters"]!.AsArray().Select(p => ((string)p!["name"]!, (string)p!["in"]!, (string?)p!["type"] ?? "string")).ToList();
        Assert.Contains(("q", "query", "string"), parameters);
        Assert.Contains(("sort", "query", "string"), parameters);
        Assert.Contains(("role", "query", "enum"), parameters);
        Assert.Contains(("pagelen", "query", "integer"), parameters);
    }

    [Fact]
    public void Prs_create_keeps_its_required_body_fields()
    {
        var endpoint = CloudEndpoints.Single(e => Command(e) == "prs create");
        Assert.Equal("json", (string?)endpoint["body"]!["kind"]);
        var required = endpoint["body"]!["fields"]!.AsArray().Where(f => (bool?)f!["required"] == true).Select(f => (string)f!["name"]!).ToList();
        Assert.Equal(["title", "source.branch.name"], required);
    }

    [Fact]
    public void Covers_the_everyday_workflow()
    {
        string[] expected =
        [
            "user get", "workspaces list", "workspaces get", "workspaces members", "projects list", "projects get",
            "repos list", "repos get", "repos create", "repos delete", "repos forks", "repos fork", "repos permissions",
            "branches list", "branches get", "branches create", "branches delete",
            "tags list", "tags get", "tags create", "tags delete",
            "commits list", "commits get", "commits diff", "commits diffstat",
            "statuses list", "statuses create",
            "prs list", "prs get", "prs create", "prs update", "prs merge", "prs approve", "prs unapprove", "prs decline",
            "prs request-changes", "prs remove-change-request", "prs comments", "prs add-comment", "prs activity", "prs diff", "prs commits",
            "issues list", "issues get", "issues create", "issues update", "issues delete", "issues comments", "issues add-comment",
            "pipelines list", "pipelines get", "pipelines trigger", "pipelines stop", "pipelines steps", "pipelines step", "pipelines log",
            "environments list", "environments get", "deployments list", "deployments get",
            "webhooks list", "webhooks get", "webhooks create", "webhooks update", "webhooks delete",
            "reviewers list", "downloads list", "restrictions list",
        ];
        Assert.Empty(expected.Except(Endpoints.Select(Command)));
    }

    [Fact]
    public void The_generator_accepts_it_and_the_output_compiles()
    {
        var (result, compilation) = GeneratorHarness.RunAndCompile(Text);
        Assert.Empty(result.Diagnostics.Select(GeneratorHarness.Explain));

        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorHarness.Explain);
        Assert.Empty(problems);
    }

    private static string Command(JsonObject e) => $"{e["group"]} {e["name"]}";

    private static string Api(JsonObject e) => (string?)e["api"] ?? "cloud";

    [GeneratedRegex(@"[.!?](\s|$)")]
    private static partial Regex SentenceEnd();
}
