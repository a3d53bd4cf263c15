using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>An import (Cloud operations) into a spec v2: another API's entries neither match nor take names.</summary>
public sealed class ImportIntoV2Tests
{
    private const string Document = """
        openapi: 3.0.1
        info: { title: Tiny, version: "1" }
        servers: [{ url: https://api.example.com/2.0 }]
        paths:
          /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}:
            parameters:
            - { name: workspace, in: path, required: true, schema: { type: string } }
            - { name: repo_slug, in: path, required: true, schema: { type: string } }
            - { name: pull_request_id, in: path, required: true, schema: { type: integer } }
            get: { tags: [pullrequests] }
        """;

    [Theory]
    [InlineData("datacenter", "get")]
    [InlineData("cloud", "get-by-pull-request-id")]
    public void A_command_name_is_taken_only_by_an_entry_of_the_cloud_api(string api, string importedName)
    {
        var existing = (JsonObject)JsonNode.Parse($$"""
            {
              "specVersion": 2,
              "apis": {},
              "groups": { "pullrequests": { "description": "Pull requests" } },
              "endpoints": [
                { "api": "{{api}}", "group": "pullrequests", "name": "get", "method": "GET", "path": "/rest/api/latest/x/{id}", "summary": "By hand" }
              ]
            }
            """)!;
        var before = existing["endpoints"]![0]!.ToJsonString();

        var result = SpecMerger.Merge(existing, ImporterTests.Import(Document), ImportOptions.All);

        var endpoints = result.Spec["endpoints"]!.AsArray();
        Assert.Equal(before, endpoints[0]!.ToJsonString());
        Assert.Equal(importedName, (string?)Assert.Single(endpoints.Skip(1))!["name"]);
    }
}
