using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;
using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// The importer on a Data-Center-shaped document (Fixtures/datacenter-small.json, our own): one test
/// per rule of issue 12 item 8.
/// </summary>
public sealed class DataCenterImportTests
{
    private static readonly string FixturePath = Path.Combine(TestPaths.SpecTests, "Fixtures", "datacenter-small.json");

    private static ImportResult ImportFixture(ImportOptions? options = null) =>
        OpenApiImporter.Import(OpenApiLoader.Parse(File.ReadAllText(FixturePath)), options ?? ImportOptions.All);

    private static List<(string Group, string Name, string Request)> Commands(ImportOptions? options = null)
    {
        var import = ImportFixture(options);
        return SpecMerger.AssignNames(import.Operations, import.Paths, null, [])
            .Select(n => (n.Group, n.Name, $"{n.Operation.Method} {n.Operation.Path}"))
            .ToList();
    }

    [Fact]
    public void A_rest_server_template_is_data_center_and_keeps_its_prefix()
    {
        var import = ImportFixture();

        Assert.Equal((Apis.DataCenter, "", "/rest"), (import.Document.Api, import.Document.Origin, import.Document.BasePath));
        Assert.All(import.Operations, o => Assert.StartsWith("/rest/", o.Path, StringComparison.Ordinal));
        Assert.All(import.Operations, o => Assert.Equal(Apis.DataCenter, o.Api));
        Assert.Contains(import.Operations, o => o.Path == "/rest/insights/latest/projects/{project_key}/repos/{repo_slug}/commits/{commit_id}/reports");
    }

    [Fact]
    public void The_api_option_overrides_detection()
    {
        var import = ImportFixture(new ImportOptions([], [], Api: Apis.Cloud));

        Assert.Equal(Apis.Cloud, import.Document.Api);
        // Cloud keeps the document's placeholders and leaves paging alone.
        var list = import.Operations.Single(o => o is { Method: "GET", Path: "/rest/api/latest/projects" });
        Assert.False(list.Paginated);
        Assert.Contains(list.Parameters, p => p.Name == "start");
        Assert.Contains(import.Operations, o => o.Path.Contains("{projectKey}", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_and_limit_make_a_paginated_list_with_page_size()
    {
        var import = ImportFixture();
        var list = import.Operations.Single(o => o is { Method: "GET", Path: "/rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests" });

        Assert.True(list.Paginated);
        Assert.Equal(["limit=page-size", "state="], list.Parameters.Where(p => p.In == "query").Select(p => $"{p.Name}={p.Option}"));
        Assert.Equal(7, import.Operations.Count(o => o.Paginated));
        Assert.All(import.Operations, o => Assert.DoesNotContain(o.Parameters, p => p.Name == "start"));
        // Without start/limit a GET is not a page.
        Assert.False(import.Operations.Single(o => o.Path.EndsWith("/readme", StringComparison.Ordinal)).Paginated);
    }

    [Fact]
    public void Clashing_parameters_get_an_option_of_their_own()
    {
        var import = ImportFixture();
        var archive = import.Operations.Single(o => o.Path.EndsWith("/archive", StringComparison.Ordinal));
        var merge = import.Operations.Single(o => o is { Method: "POST" } && o.Path.EndsWith("/merge", StringComparison.Ordinal));
        var deleteComment = import.Operations.Single(o => o.Path.EndsWith("/comments/{comment_id}", StringComparison.Ordinal));

        Assert.Equal(["format=api-format", "at="], archive.Parameters.Where(p => p.In == "query").Select(p => $"{p.Name}={p.Option}"));
        Assert.Equal(["version=api-version"], merge.Parameters.Where(p => p.In == "query").Select(p => $"{p.Name}={p.Option}"));
        // A required one is renamed too, not skipped.
        Assert.True(deleteComment.Parameters.Single(p => p.Name == "version") is { Option: "api-version", Required: true });
        Assert.Contains(import.Report, r => r.Kind == ReportKind.Fixed && r.Message == "query parameter 'format' is --api-format: --format would reuse bb's own --format");
    }

    [Fact]
    public void Placeholders_become_snake_case()
    {
        var import = ImportFixture();
        var comment = import.Operations.Single(o => o.Path.EndsWith("/comments/{comment_id}", StringComparison.Ordinal));

        Assert.Equal("/rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/comments/{comment_id}", comment.Path);
        Assert.Equal(["project_key", "repo_slug", "pull_request_id", "comment_id"], comment.Parameters.Where(p => p.In == "path").Select(p => p.Name));
    }

    [Fact]
    public void Command_names_are_readable()
    {
        Assert.Equal(
            [
                ("projects", "list", "GET /rest/api/latest/projects"),
                ("projects", "create", "POST /rest/api/latest/projects"),
                ("projects", "get", "GET /rest/api/latest/projects/{project_key}"),
                ("projects", "delete", "DELETE /rest/api/latest/projects/{project_key}"),
                ("repos", "list", "GET /rest/api/latest/projects/{project_key}/repos"),
                ("repos", "get", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}"),
                // Resources with fewer than three operations join their owner's group.
                ("repos", "get-readme", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/readme"),
                ("repos", "get-archive", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/archive"),
                ("repos", "list-branches", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/branches"),
                ("prs", "list", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests"),
                ("prs", "create", "POST /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests"),
                ("prs", "get", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}"),
                ("prs", "update", "PUT /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}"),
                ("prs", "get-merge", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/merge"),
                ("prs", "merge", "POST /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/merge"),
                ("prs", "decline", "POST /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/decline"),
                ("prs", "approve", "POST /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/approve"),
                ("prs", "unapprove", "DELETE /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/approve"),
                ("prs", "delete-comment", "DELETE /rest/api/latest/projects/{project_key}/repos/{repo_slug}/pull-requests/{pull_request_id}/comments/{comment_id}"),
                // The same resource on a project and on a repository: the second names its owner.
                ("webhooks", "list", "GET /rest/api/latest/projects/{project_key}/webhooks"),
                ("webhooks", "list-repo", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/webhooks"),
                ("webhooks", "get", "GET /rest/api/latest/projects/{project_key}/repos/{repo_slug}/webhooks/{webhook_id}"),
                // Plugin areas are groups of their own.
                ("insights", "list-reports", "GET /rest/insights/latest/projects/{project_key}/repos/{repo_slug}/commits/{commit_id}/reports"),
            ],
            Commands());
    }

    [Fact]
    public void Names_do_not_depend_on_the_order_of_the_document()
    {
        var document = OpenApiLoader.Parse(File.ReadAllText(FixturePath));
        var paths = document["paths"]!.AsObject();
        var reversed = new JsonObject();
        foreach (var (path, item) in paths.Reverse().ToList())
        {
            reversed[path] = item!.DeepClone();
        }

        document["paths"] = reversed;
        var import = OpenApiImporter.Import(document, ImportOptions.All);
        var names = SpecMerger.AssignNames(import.Operations, import.Paths, null, [])
            .Select(n => (n.Group, n.Name, Request: $"{n.Operation.Method} {n.Operation.Path}"));

        Assert.Equal(Commands().OrderBy(c => c.Request, StringComparer.Ordinal), names.OrderBy(c => c.Request, StringComparer.Ordinal));
    }

    [Fact]
    public void A_multipart_upload_is_skipped_with_its_reason()
    {
        var import = ImportFixture();

        var skipped = Assert.Single(import.Report, r => r.Kind == ReportKind.Skipped);
        Assert.Equal("skipped   POST /rest/api/latest/projects/{projectKey}/avatar.png: request body type multipart/form-data is not supported (json and form only)", skipped.ToString());
        Assert.Equal(import.Selected - 1, import.Operations.Count);
    }

    [Fact]
    public void The_spec_is_v2_with_the_data_center_api_and_builds()
    {
        var import = ImportFixture();
        var text = SpecWriter.Write(SpecMerger.Merge(null, import, ImportOptions.All).Spec);
        var spec = JsonNode.Parse(text)!;

        Assert.Equal(2, (int)spec["specVersion"]!);
        var api = spec["apis"]!.AsObject();
        Assert.Equal(["datacenter"], api.Select(a => a.Key));
        Assert.Equal("start-limit", (string?)api["datacenter"]!["paging"]);
        Assert.Equal("RSA-SHA1", (string?)api["datacenter"]!["oauth"]!["signatureMethod"]);
        Assert.Null(api["datacenter"]!["baseUrl"]);
        Assert.All(spec["endpoints"]!.AsArray(), e => Assert.Equal("datacenter", (string?)e!["api"]));
        Assert.Contains("{ \"name\": \"limit\", \"in\": \"query\", \"option\": \"page-size\", \"type\": \"integer\" }", text, StringComparison.Ordinal);

        var run = GeneratorRunner.Run(text);
        var (diagnostics, sources) = (run.Diagnostics, GeneratorRunner.Sources(run));
        Assert.Empty(diagnostics.Select(GeneratorRunner.Describe));
        var compilation = GeneratorRunner.Compile(sources.Values);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorRunner.Describe));
        Assert.Equal(import.Operations.Count, CountCommands(compilation));
    }

    [Fact]
    public void Data_center_commands_may_share_a_cloud_command_name()
    {
        var existing = (JsonObject)JsonNode.Parse("""
            {
              "specVersion": 1,
              "api": { "name": "Bitbucket", "baseUrl": "https://api.bitbucket.org" },
              "groups": { "prs": { "description": "Pull requests" } },
              "endpoints": [
                { "group": "prs", "name": "list", "method": "GET", "path": "/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "summary": "List", "paginated": true,
                  "parameters": [{ "name": "workspace", "in": "path" }, { "name": "repo_slug", "in": "path" }] }
              ]
            }
            """)!;
        var merged = SpecMerger.Merge(existing, ImportFixture(), ImportOptions.All);

        var prsList = merged.Spec["endpoints"]!.AsArray().Where(e => (string?)e!["group"] == "prs" && (string?)e["name"] == "list").ToList();
        Assert.Equal([null, "datacenter"], prsList.Select(e => (string?)e!["api"]));
        Assert.Equal(["cloud", "datacenter"], merged.Spec["apis"]!.AsObject().Select(a => a.Key));

        var diagnostics = GeneratorRunner.Run(SpecWriter.Write(merged.Spec)).Diagnostics;
        Assert.Empty(diagnostics.Select(GeneratorRunner.Describe));
    }

    internal static int CountCommands(Compilation compilation) =>
        compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Cocona.CommandAttribute"));
}
