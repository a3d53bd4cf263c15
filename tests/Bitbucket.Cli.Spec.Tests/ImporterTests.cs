using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>OpenAPI → spec translation on tiny documents, in YAML and JSON.</summary>
public sealed class ImporterTests
{
    private const string Header = """
        openapi: 3.0.1
        info: { title: Tiny, version: "1" }
        servers:
        - url: https://api.example.com/2.0
        """;

    [Fact]
    public void Reads_yaml_scalars_with_the_core_schema()
    {
        var doc = OpenApiLoader.Parse("""
            a: true
            b: "true"
            c: 10
            d: '10'
            e: 1.5
            f: ~
            g: 2.0.1
            h: [x, 'y']
            """);
        Assert.True(doc["a"]!.GetValue<bool>());
        Assert.Equal("true", doc["b"]!.GetValue<string>());
        Assert.Equal(10L, doc["c"]!.GetValue<long>());
        Assert.Equal("10", doc["d"]!.GetValue<string>());
        Assert.Equal(1.5, doc["e"]!.GetValue<double>());
        Assert.Null(doc["f"]);
        Assert.Equal("2.0.1", doc["g"]!.GetValue<string>());
        Assert.Equal(["x", "y"], doc["h"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Reports_bad_yaml_and_json_as_format_errors()
    {
        Assert.Throws<FormatException>(() => OpenApiLoader.Parse("a: [1, 2"));
        Assert.Throws<FormatException>(() => OpenApiLoader.Parse("{ \"a\": }"));
        Assert.Throws<FormatException>(() => OpenApiLoader.Parse("- just\n- a list\n"));
    }

    [Fact]
    public void Yaml_and_json_give_the_same_result()
    {
        const string json = """
            {
              "openapi": "3.0.1",
              "info": { "title": "Tiny", "version": "1" },
              "servers": [{ "url": "https://api.example.com/2.0" }],
              "paths": {
                "/things/{id}": {
                  "get": {
                    "tags": ["things"],
                    "parameters": [
                      { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
                      { "name": "verbose_output", "in": "query", "schema": { "type": "boolean", "default": false } }
                    ]
                  }
                }
              }
            }
            """;
        var yaml = Header + """

            paths:
              /things/{id}:
                get:
                  tags: [things]
                  parameters:
                  - { name: id, in: path, required: true, schema: { type: integer } }
                  - { name: verbose_output, in: query, schema: { type: boolean, default: false } }
            """;
        Assert.Equal(ImportText(json), ImportText(yaml));
    }

    [Fact]
    public void Maps_parameter_types_enums_and_defaults()
    {
        var op = Single("""
            /items:
              get:
                parameters:
                - { name: q, in: query, schema: { type: string } }
                - { name: page, in: query, schema: { type: integer, format: int32, default: 1 } }
                - { name: all, in: query, required: true, schema: { type: boolean } }
                - { name: state, in: query, schema: { type: string, enum: [OPEN, MERGED], default: OPEN } }
                - { name: ratio, in: query, schema: { type: number } }
                - { name: X-Trace, in: header, schema: { type: string } }
            """);
        Assert.Collection(
            op.Parameters,
            p => Assert.Equal(("q", "query", "string"), (p.Name, p.In, p.Type)),
            p =>
            {
                Assert.Equal(("page", "integer"), (p.Name, p.Type));
                Assert.Equal("1", p.Default!.ToJsonString());
            },
            p => Assert.Equal(("all", "boolean", true), (p.Name, p.Type, p.Required)),
            p =>
            {
                Assert.Equal(("state", "enum"), (p.Name, p.Type));
                Assert.Equal(["OPEN", "MERGED"], p.Values);
                Assert.Equal("\"OPEN\"", p.Default!.ToJsonString());
            },
            p => Assert.Equal(("ratio", "string"), (p.Name, p.Type)),
            p => Assert.Equal(("X-Trace", "header"), (p.Name, p.In)));
    }

    [Fact]
    public void Resolves_refs_for_parameters_bodies_and_schemas()
    {
        var result = Import(Header + """

            paths:
              /items/{id}:
                parameters:
                - $ref: '#/components/parameters/id'
                put:
                  requestBody:
                    $ref: '#/components/requestBodies/item'
            components:
              parameters:
                id: { name: id, in: path, required: true, schema: { $ref: '#/components/schemas/kind' } }
              requestBodies:
                item:
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/item' }
              schemas:
                kind: { type: string, enum: [a, b] }
                base:
                  type: object
                  required: [type]
                  properties:
                    type: { type: string }
                    uuid: { type: string, readOnly: true }
                item:
                  allOf:
                  - $ref: '#/components/schemas/base'
                  - type: object
                    required: [name]
                    properties:
                      name: { type: string }
                      size: { type: integer }
                      owner: { $ref: '#/components/schemas/base' }
                      tags: { type: array, items: { type: string } }
                      state: { type: string, enum: [open, closed] }
            """);
        var op = Assert.Single(result.Operations);
        var id = Assert.Single(op.Parameters);
        Assert.Equal(("id", "path", "enum"), (id.Name, id.In, id.Type));
        Assert.Equal("json", op.BodyKind);
        Assert.Equal(
            [("type", "string", true), ("name", "string", true), ("size", "integer", false), ("owner", "object", false), ("tags", "array", false), ("state", "string", false)],
            op.Fields.Select(f => (f.Name, f.Type, f.Required)));
        Assert.Equal("One of: open, closed", op.Fields.Single(f => f.Name == "state").Description);
    }

    [Fact]
    public void Skips_operations_whose_refs_do_not_resolve()
    {
        var result = Import(Header + """

            paths:
              /a:
                get:
                  parameters: [{ $ref: '#/components/parameters/missing' }]
              /b:
                get:
                  parameters: [{ $ref: 'other.yml#/components/parameters/p' }]
              /c:
                get: {}
            """);
        Assert.Equal(["GET /2.0/c"], result.Operations.Select(o => o.Identity));
        Assert.Equal(3, result.Selected);
        Assert.Collection(
            result.Report,
            r => Assert.Equal((ReportKind.Skipped, "/2.0/a"), (r.Kind, r.Path)),
            r => Assert.Contains("only local references", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Detects_pagination_through_refs_and_allOf()
    {
        var result = Import(Header + """

            paths:
              /pages:
                get:
                  responses:
                    "200":
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/paginated_items' }
              /plain:
                get:
                  responses:
                    "200":
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/item' }
              /no-next:
                get:
                  responses:
                    "200":
                      content:
                        application/json:
                          schema: { type: object, properties: { values: { type: array } } }
            components:
              schemas:
                page:
                  type: object
                  properties:
                    next: { type: string }
                    values: { type: array, items: {} }
                paginated_items:
                  allOf:
                  - $ref: '#/components/schemas/page'
                  - properties:
                      values: { type: array, items: { $ref: '#/components/schemas/item' } }
                item: { type: object, properties: { next: { type: string }, values: { type: string } } }
            """);
        Assert.Equal([true, false, false], result.Operations.Select(o => o.Paginated));
    }

    [Fact]
    public void Chooses_the_body_kind_and_skips_unsupported_media_types()
    {
        var result = Import(Header + """

            paths:
              /form:
                post:
                  requestBody:
                    content:
                      application/x-www-form-urlencoded:
                        schema: { type: object, properties: { grant_type: { type: string } } }
              /upload:
                post:
                  requestBody:
                    content:
                      multipart/form-data:
                        schema: { type: object }
              /both:
                post:
                  requestBody:
                    content:
                      multipart/form-data: { schema: { type: object } }
                      application/json; charset=utf-8: { schema: { type: object, properties: { a: { type: boolean } } } }
            """);
        Assert.Equal([("/2.0/form", "form"), ("/2.0/both", "json")], result.Operations.Select(o => (o.Path, o.BodyKind)));
        Assert.Equal(["grant_type"], result.Operations[0].Fields.Select(f => f.Name));
        var skipped = Assert.Single(result.Report);
        Assert.Equal((ReportKind.Skipped, "POST", "/2.0/upload"), (skipped.Kind, skipped.Method, skipped.Path));
        Assert.Contains("multipart/form-data is not supported", skipped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repairs_placeholders_and_parameters_that_disagree()
    {
        var result = Import(Header + """

            paths:
              /workspaces/{workspace}/hooks:
                get:
                  parameters: [{ name: username, in: path, required: true, schema: { type: string } }]
              /users/{username}/keys/:
                delete:
                  parameters:
                  - { name: username, in: path, required: true, schema: { type: string } }
                  - { name: key_id, in: path, required: true, schema: { type: string } }
              /repos/{repo}/activity:
                get:
                  parameters:
                  - { name: repo, in: path, required: true, schema: { type: string } }
                  - { name: pr_id, in: path, required: true, schema: { type: string } }
              /schedules/{schedule_uuid}/runs:
                get: {}
            """);
        Assert.Equal(
            [
                "GET /2.0/workspaces/{workspace}/hooks [workspace]",
                "DELETE /2.0/users/{username}/keys/{key_id} [username,key_id]",
                "GET /2.0/repos/{repo}/activity [repo]",
                "GET /2.0/schedules/{schedule_uuid}/runs [schedule_uuid]",
            ],
            result.Operations.Select(o => $"{o.Identity} [{string.Join(",", o.Parameters.Select(p => p.Name))}]"));
        Assert.Equal(4, result.Report.Count(r => r.Kind == ReportKind.Fixed));
        Assert.Contains(result.Report, r => r.Message.Contains("renamed to 'workspace'", StringComparison.Ordinal));
    }

    [Fact]
    public void Gives_parameters_that_would_reuse_bb_options_their_own_option()
    {
        var result = Import(Header + """

            paths:
              /src:
                get:
                  parameters:
                  - { name: format, in: query, schema: { type: string } }
                  - { name: include, in: query, schema: { type: string } }
                  - { name: max_depth, in: query, schema: { type: integer } }
              /files:
                post:
                  parameters: [{ name: input, in: query, schema: { type: string } }]
                  requestBody:
                    content:
                      application/json: { schema: { type: object } }
              /must:
                get:
                  parameters: [{ name: query, in: query, required: true, schema: { type: string } }]
            """);
        Assert.Equal(["format=api-format", "include=api-include", "max_depth="], result.Operations[0].Parameters.Select(p => $"{p.Name}={p.Option}"));
        Assert.Equal(["input=api-input"], result.Operations[1].Parameters.Select(p => $"{p.Name}={p.Option}"));
        Assert.Equal(["query=api-query"], result.Operations[2].Parameters.Select(p => $"{p.Name}={p.Option}"));
        Assert.True(result.Operations[2].Parameters[0].Required);
        Assert.Equal(3, result.Operations.Count);
        Assert.DoesNotContain(result.Report, r => r.Kind == ReportKind.Skipped);
        Assert.Equal(4, result.Report.Count(r => r.Kind == ReportKind.Fixed));

        // The generator takes the renamed options as they are.
        var spec = SpecWriter.Write(SpecMerger.Merge(null, result, ImportOptions.All).Spec);
        Assert.Empty(GeneratorRunner.Run(spec).Diagnostics.Select(GeneratorRunner.Describe));
    }

    /// <summary>The importer reads the same list as the generator (BbOptionNames); its old copy lacked --timeout and the short names.</summary>
    [Fact]
    public void Renames_every_name_the_generator_rejects()
    {
        var result = Import(Header + """

            paths:
              /src:
                get:
                  parameters:
                  - { name: timeout, in: query, schema: { type: number } }
                  - { name: v, in: query, schema: { type: string } }
                  - { name: version, in: header, schema: { type: string } }
                  - { name: f, in: query, schema: { type: string } }
            """);

        Assert.Equal(["timeout=api-timeout", "v=api-v", "version=api-version", "f="], result.Operations[0].Parameters.Select(p => $"{p.Name}={p.Option}"));
        Assert.Contains(result.Report, r => r.Message.Contains("query parameter 'timeout' is --api-timeout: --timeout would reuse bb's own --timeout", StringComparison.Ordinal));
        Assert.Contains(result.Report, r => r.Message.Contains("query parameter 'v' is --api-v: --v would reuse bb's own -v (--verbose)", StringComparison.Ordinal));
        Assert.Contains(result.Report, r => r.Message.Contains("header parameter 'version' is --api-version: --version would reuse bb's own --version", StringComparison.Ordinal));
    }

    [Fact]
    public void Selects_by_tag_and_path_prefix()
    {
        var doc = Header + """

            paths:
              /repositories/{w}/pullrequests:
                get: { tags: [pullrequests], parameters: [{ name: w, in: path, required: true }] }
              /repositories/{w}/issues:
                get: { tags: [issue_tracker], parameters: [{ name: w, in: path, required: true }] }
              /user:
                get: { tags: [users] }
            """;
        Assert.Equal(["/2.0/user"], Import(doc, new ImportOptions(["USERS"], [])).Operations.Select(o => o.Path));
        Assert.Equal(2, Import(doc, new ImportOptions([], ["/repositories/"])).Operations.Count);
        Assert.Equal(2, Import(doc, new ImportOptions([], ["/2.0/repositories/"])).Operations.Count);
        Assert.Single(Import(doc, new ImportOptions(["issue_tracker", "users"], ["/repositories"])).Operations);
    }

    [Fact]
    public void Uses_the_server_path_as_the_version_segment()
    {
        var relative = Import("""
            openapi: 3.0.1
            info: { title: T, version: "1" }
            servers: [{ url: /api/v1/ }]
            paths: { /ping: { get: {} } }
            """);
        Assert.Equal("/api/v1/ping", Assert.Single(relative.Operations).Path);
        Assert.Equal(("", "/api/v1"), (relative.Document.Origin, relative.Document.BasePath));

        var none = Import("""
            openapi: 3.0.1
            info: { title: T, version: "1" }
            paths: { /ping: { get: {} } }
            """);
        Assert.Equal("/ping", Assert.Single(none.Operations).Path);
    }

    [Fact]
    public void Skips_methods_the_format_cannot_express()
    {
        var result = Import(Header + """

            paths:
              /ping:
                options: {}
                get: {}
            """);
        Assert.Equal(2, result.Selected);
        Assert.Single(result.Operations);
        Assert.Contains(result.Report, r => r is { Kind: ReportKind.Skipped, Method: "OPTIONS" });
    }

    [Fact]
    public void Summaries_come_from_the_operation_or_name_the_endpoint()
    {
        var result = Import(Header + """

            paths:
              /a: { get: { summary: "  Get   the\n  thing " } }
              /b: { get: { description: Long prose that is not copied. } }
            """);
        Assert.Equal(["Get the thing", "GET /2.0/b"], result.Operations.Select(o => o.Summary));
    }

    internal static ImportResult Import(string text, ImportOptions? options = null)
        => OpenApiImporter.Import(OpenApiLoader.Parse(text), options ?? ImportOptions.All);

    internal static string ImportText(string text)
    {
        var import = Import(text);
        return SpecWriter.Write(SpecMerger.Merge(null, import, ImportOptions.All).Spec);
    }

    private static ImportedOperation Single(string paths)
        => Assert.Single(Import(Header + "\n\npaths:\n" + Indent(paths)).Operations);

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));
}
