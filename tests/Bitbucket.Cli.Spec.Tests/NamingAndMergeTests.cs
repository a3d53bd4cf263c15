using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>Group and command names for imported operations, and merging into an existing spec.</summary>
public sealed class NamingAndMergeTests
{
    private const string Document = """
        openapi: 3.0.1
        info: { title: Tiny, version: "1" }
        servers: [{ url: https://api.example.com/2.0 }]
        paths:
          /repositories/{workspace}/{repo_slug}/pullrequests:
            parameters: &repo
            - { name: workspace, in: path, required: true, schema: { type: string } }
            - { name: repo_slug, in: path, required: true, schema: { type: string } }
            get: { tags: [pullrequests] }
            post: { tags: [pullrequests] }
          /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}:
            parameters: &pr
            - { name: workspace, in: path, required: true, schema: { type: string } }
            - { name: repo_slug, in: path, required: true, schema: { type: string } }
            - { name: pull_request_id, in: path, required: true, schema: { type: integer } }
            get: { tags: [pullrequests] }
            put: { tags: [pullrequests] }
            delete: { tags: [pullrequests] }
          /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/approve:
            parameters: *pr
            post: { tags: [pullrequests] }
            delete: { tags: [pullrequests] }
          /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments:
            parameters: *pr
            get: { tags: [pullrequests] }
            post: { tags: [pullrequests] }
          /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}:
            parameters:
            - { name: workspace, in: path, required: true, schema: { type: string } }
            - { name: repo_slug, in: path, required: true, schema: { type: string } }
            - { name: pull_request_id, in: path, required: true, schema: { type: integer } }
            - { name: comment_id, in: path, required: true, schema: { type: integer } }
            get: { tags: [pullrequests] }
          /repositories/{workspace}/{repo_slug}/pipelines/{uuid}/stopPipeline:
            post:
              tags: [pipelines]
              parameters:
              - { name: workspace, in: path, required: true, schema: { type: string } }
              - { name: repo_slug, in: path, required: true, schema: { type: string } }
              - { name: uuid, in: path, required: true, schema: { type: string } }
          /pullrequests/{selected_user}:
            get:
              tags: [pullrequests]
              operationId: listPullrequestsForUser
              parameters: [{ name: selected_user, in: path, required: true, schema: { type: string } }]
          /user/emails:
            get: {}
          /user/emails/{email}:
            get:
              parameters: [{ name: email, in: path, required: true, schema: { type: string } }]
          /repositories/{workspace}/{repo_slug}/watchers:
            parameters: *repo
            get: { tags: [repositories] }
        """;

    [Theory]
    [InlineData("issue_tracker", "issue-tracker")]
    [InlineData("stopPipeline", "stop-pipeline")]
    [InlineData("HTMLUrl", "html-url")]
    [InlineData("pullrequests", "pullrequests")]
    [InlineData("2fa", "op-2fa")]
    [InlineData("--", "op")]
    public void Kebab_cases_names(string input, string expected)
    {
        Assert.Equal(expected, Naming.Kebab(input));
    }

    [Theory]
    [InlineData("comments", "comment")]
    [InlineData("deploy-keys", "deploy-key")]
    [InlineData("branches", "branch")]
    [InlineData("statuses", "status")]
    [InlineData("repositories", "repository")]
    [InlineData("status", "status")]
    [InlineData("settings", "settings")]
    [InlineData("access", "access")]
    public void Singularises_the_last_word(string input, string expected)
    {
        Assert.Equal(expected, Naming.Singular(input));
    }

    [Fact]
    public void Names_commands_from_method_and_path()
    {
        var names = Names(SpecMerger.Merge(null, ImporterTests.Import(Document), ImportOptions.All).Spec);
        Assert.Equal(
            [
                "pullrequests list GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests",
                "pullrequests create POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests",
                "pullrequests get GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}",
                "pullrequests update PUT /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}",
                "pullrequests delete DELETE /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}",
                "pullrequests approve POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/approve",
                "pullrequests unapprove DELETE /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/approve",
                "pullrequests list-comments GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments",
                "pullrequests create-comment POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments",
                "pullrequests get-comment GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}",
                "pipelines stop-pipeline POST /2.0/repositories/{workspace}/{repo_slug}/pipelines/{uuid}/stopPipeline",
                "pullrequests list-pullrequests-for-user GET /2.0/pullrequests/{selected_user}",
                "user list-emails GET /2.0/user/emails",
                "user get-email GET /2.0/user/emails/{email}",
                "repositories list-watchers GET /2.0/repositories/{workspace}/{repo_slug}/watchers",
            ],
            names.Select(n => $"{n.Group} {n.Name} {n.Request}"));
    }

    [Fact]
    public void De_duplicates_deterministically()
    {
        // Without an operationId the clash falls back to the last path parameter, then a number.
        var doc = Document.Replace("operationId: listPullrequestsForUser", "summary: By user", StringComparison.Ordinal);
        var first = Names(SpecMerger.Merge(null, ImporterTests.Import(doc), ImportOptions.All).Spec);
        var second = Names(SpecMerger.Merge(null, ImporterTests.Import(doc), ImportOptions.All).Spec);
        Assert.Equal(first, second);
        Assert.Contains(first, n => n is { Name: "get-by-selected-user", Request: "GET /2.0/pullrequests/{selected_user}" });
        Assert.Contains(first, n => n is { Name: "list", Request: "GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests" });

        var operation = ImporterTests.Import(doc).Operations[0];
        Assert.Equal(["list-by-repo-slug", "list-2", "list-3"], Naming.Alternatives(operation, "repositories", "list").Take(3));
    }

    [Fact]
    public void Forced_group_puts_everything_in_one_group()
    {
        var spec = SpecMerger.Merge(null, ImporterTests.Import(Document), new ImportOptions([], [], "prs")).Spec;
        Assert.Equal(["prs"], spec["groups"]!.AsObject().Select(g => g.Key));
        var names = Names(spec).Select(n => n.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("list-user-emails", names);
    }

    [Fact]
    public void Merge_keeps_hand_written_entries_and_appends_new_ones()
    {
        var existing = Existing("""
            {
              "group": "prs", "name": "list", "method": "GET",
              "path": "/2.0/repositories/{workspace}/{repo_slug}/pullrequests",
              "summary": "Our own words",
              "parameters": [{ "name": "workspace", "in": "path" }, { "name": "repo_slug", "in": "path" }]
            },
            {
              "group": "pullrequests", "name": "get", "method": "GET", "path": "/2.0/somewhere/else",
              "summary": "Takes the name an import would want"
            }
            """);
        var before = existing["endpoints"]![0]!.ToJsonString();
        var result = SpecMerger.Merge(existing, ImporterTests.Import(Document), ImportOptions.All);

        var endpoints = result.Spec["endpoints"]!.AsArray();
        Assert.Equal(before, endpoints[0]!.ToJsonString());
        Assert.Equal(2 + 14, endpoints.Count);
        Assert.Contains(result.Report, r => r is { Kind: ReportKind.Kept, Path: "/2.0/repositories/{workspace}/{repo_slug}/pullrequests", Method: "GET" });
        Assert.Equal(14, result.Report.Count(r => r.Kind == ReportKind.Imported));
        Assert.True(endpoints.Skip(2).All(e => (bool?)e!["x-imported"] == true));

        // "pullrequests get" is taken by hand, so the imported GET .../{pull_request_id} needs another name.
        var names = Names(result.Spec);
        Assert.Single(names, n => n is { Group: "pullrequests", Name: "get" });
        Assert.Contains(names, n => n.Request.EndsWith("{pull_request_id}", StringComparison.Ordinal) && n.Request.StartsWith("GET", StringComparison.Ordinal) && n.Name == "get-by-pull-request-id");

        var groups = result.Spec["groups"]!.AsObject();
        Assert.Equal("Pull requests", (string?)groups["prs"]!["description"]);
        Assert.Equal("Taken by hand", (string?)groups["pullrequests"]!["description"]);
        Assert.Equal("Imported from the OpenAPI tag 'pipelines'", (string?)groups["pipelines"]!["description"]);
        Assert.Equal("Imported endpoints for user", (string?)groups["user"]!["description"]);
    }

    [Fact]
    public void Re_import_refreshes_what_it_wrote_and_keeps_the_names()
    {
        var first = SpecMerger.Merge(null, ImporterTests.Import(Document), ImportOptions.All).Spec;
        var text = SpecWriter.Write(first);

        // A contributor renames one imported command, and curates another (drops the marker).
        var edited = (JsonObject)JsonNode.Parse(text)!;
        var endpoints = edited["endpoints"]!.AsArray();
        endpoints[0]!["name"] = "ls";
        endpoints[1]!.AsObject().Remove("x-imported");
        endpoints[1]!["summary"] = "Open a pull request";

        var again = SpecMerger.Merge(edited, ImporterTests.Import(Document), ImportOptions.All);
        Assert.Equal(14, again.Report.Count(r => r.Kind == ReportKind.Refreshed));
        Assert.Equal(1, again.Report.Count(r => r.Kind == ReportKind.Kept));
        Assert.Equal(0, again.Report.Count(r => r.Kind == ReportKind.Imported));
        var after = again.Spec["endpoints"]!.AsArray();
        Assert.Equal(15, after.Count);
        Assert.Equal("ls", (string?)after[0]!["name"]);
        Assert.Equal("Open a pull request", (string?)after[1]!["summary"]);

        // Re-importing an unedited import is a no-op, byte for byte.
        var unchanged = SpecMerger.Merge((JsonObject)JsonNode.Parse(text)!, ImporterTests.Import(Document), ImportOptions.All).Spec;
        Assert.Equal(text, SpecWriter.Write(unchanged));
    }

    [Fact]
    public void Writes_the_repository_layout()
    {
        var spec = SpecMerger.Merge(null, ImporterTests.Import("""
            openapi: 3.0.1
            info: { title: Tiny, version: "1" }
            servers: [{ url: https://api.example.com/2.0 }]
            paths:
              /things/{id}:
                put:
                  tags: [things]
                  parameters:
                  - { name: id, in: path, required: true, schema: { type: string } }
                  - { name: mode, in: query, schema: { type: string, enum: [a, "b\"c"] } }
                  requestBody:
                    content:
                      application/json:
                        schema: { type: object, required: [name], properties: { name: { type: string } } }
            """), ImportOptions.All).Spec;
        Assert.Equal(
            """
            {
              "$schema": "./docs/api-spec.schema.json",
              "specVersion": 2,
              "apis": {
                "cloud": {
                  "name": "Tiny",
                  "description": "Imported from the OpenAPI description of Tiny",
                  "baseUrl": "https://api.example.com",
                  "paging": "next",
                  "oauth": { "requestToken": "/api/1.0/oauth/request_token", "authorize": "/api/1.0/oauth/authenticate", "accessToken": "/api/1.0/oauth/access_token", "signatureMethod": "HMAC-SHA1" },
                  "currentUser": "/2.0/user"
                }
              },
              "groups": {
                "things": { "description": "Imported from the OpenAPI tag 'things'" }
              },
              "endpoints": [
                {
                  "group": "things",
                  "name": "update",
                  "method": "PUT",
                  "path": "/2.0/things/{id}",
                  "summary": "PUT /2.0/things/{id}",
                  "parameters": [
                    { "name": "id", "in": "path", "type": "string" },
                    { "name": "mode", "in": "query", "type": "enum", "values": ["a", "b\"c"] }
                  ],
                  "body": {
                    "kind": "json",
                    "fields": [
                      { "name": "name", "type": "string", "required": true }
                    ]
                  },
                  "x-imported": true
                }
              ]
            }

            """,
            SpecWriter.Write(spec));
        Assert.Empty(GeneratorRunner.Run(SpecWriter.Write(spec)).Diagnostics.Select(GeneratorRunner.Describe));
    }

    private static JsonObject Existing(string endpoints) => (JsonObject)JsonNode.Parse($$"""
        {
          "$schema": "./docs/api-spec.schema.json",
          "specVersion": 1,
          "api": { "name": "Bitbucket", "baseUrl": "https://api.bitbucket.org" },
          "groups": {
            "prs": { "description": "Pull requests" },
            "pullrequests": { "description": "Taken by hand" }
          },
          "endpoints": [{{endpoints}}]
        }
        """)!;

    private static List<(string Group, string Name, string Request)> Names(JsonObject spec)
        => spec["endpoints"]!.AsArray()
            .Select(e => ((string)e!["group"]!, (string)e["name"]!, $"{e["method"]} {e["path"]}"))
            .ToList();
}
