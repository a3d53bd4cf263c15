using Bitbucket.Cli.Generator.Model;
using Bitbucket.Cli.Generator.Parsing;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>The parser on tiny specs: derived names, types, defaults, body, columns and positions.</summary>
public sealed class ParserTests
{
    private static SpecModel ParseValid(string json)
    {
        var result = SpecParser.Parse("api-spec.json", json);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + string.Join(" | ", d.MessageArgs))));
        return result.Spec;
    }

    private static EndpointModel Single(string endpoint) => Assert.Single(ParseValid(SpecBuilder.WithEndpoints(endpoint)).Endpoints);

    [Fact]
    public void Api_and_groups_are_read_in_spec_order_and_groups_without_endpoints_are_left_out()
    {
        var spec = ParseValid(SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()));

        Assert.Equal("https://api.bitbucket.org", spec.DefaultBaseUrl);
        var group = Assert.Single(spec.Groups);
        Assert.Equal(new GroupModel("repos", "Repositories", "ReposCommands"), group);
    }

    [Fact]
    public void Csharp_names_come_from_group_and_command_names()
    {
        var json = SpecBuilder.WithEndpoints("""
            { "group": "pull-requests", "name": "list-comments", "method": "GET", "path": "/2.0/x", "summary": "s" }
            """);
        var endpoint = Assert.Single(ParseValid(json).Endpoints);

        Assert.Equal("PullRequestsListComments", endpoint.MemberName);
        Assert.Equal("ListComments", endpoint.MethodName);
        Assert.Equal("PullRequestsCommands", endpoint.ClassName);
        Assert.Equal("Get", endpoint.RefitAttribute);
        Assert.Equal(string.Empty, endpoint.Description);
        Assert.Null(endpoint.Example);
        Assert.False(endpoint.Paginated);
        Assert.False(endpoint.Deprecated);
        Assert.Equal(BodyKind.None, endpoint.BodyKind);
    }

    [Theory]
    [InlineData("repo_slug", "repo-slug", "repoSlug")]
    [InlineData("q", "q", "q")]
    [InlineData("X-Request-Id", "x-request-id", "xRequestId")]
    [InlineData("pageLen", "page-len", "pageLen")]
    [InlineData("HTMLUrl", "html-url", "htmlUrl")]
    [InlineData("fields[]", "fields", "fields")]
    [InlineData("class", "class", "@class")]
    [InlineData("2fa", "2fa", "_2fa")]
    [InlineData("body", "body", "bodyValue")]
    [InlineData("cancellation_token", "cancellation-token", "cancellationTokenValue")]
    [InlineData("ct", "ct", "ctValue")]
    public void Parameter_names_are_derived_for_the_command_line_and_for_csharp(string wire, string cli, string identifier)
    {
        var endpoint = Single(SpecBuilder.Endpoint(parameters: $$"""[ { "name": "workspace", "in": "path" }, { "name": "{{wire}}", "in": "query" } ]"""));

        var parameter = endpoint.Parameters[1];
        Assert.Equal(wire, parameter.Name);
        Assert.Equal(cli, parameter.CliName);
        Assert.Equal(identifier, parameter.Identifier);
    }

    [Fact]
    public void Types_defaults_and_requiredness_are_normalised()
    {
        var endpoint = Single(SpecBuilder.Endpoint(parameters: """
            [
              { "name": "workspace", "in": "path" },
              { "name": "s", "in": "query", "default": "x\"y" },
              { "name": "n", "in": "query", "type": "integer", "default": -42 },
              { "name": "b", "in": "query", "type": "boolean", "default": false },
              { "name": "e", "in": "query", "type": "enum", "values": ["A", "B"], "default": "B" },
              { "name": "rh", "in": "header", "required": true, "description": "d" }
            ]
            """));

        var p = endpoint.Parameters;
        Assert.Equal(new ParameterModel("workspace", "workspace", "workspace", ParamLocation.Path, ParamType.String, true, null, "", EquatableArray<string>.Empty, Slashes: false), p[0]);
        Assert.Equal((ParamType.String, "x\"y", false), (p[1].Type, p[1].Default, p[1].Required));
        Assert.Equal((ParamType.Integer, "-42"), (p[2].Type, p[2].Default));
        Assert.Equal((ParamType.Boolean, "false"), (p[3].Type, p[3].Default));
        Assert.Equal((ParamType.Enum, "B"), (p[4].Type, p[4].Default));
        Assert.Equal(["A", "B"], p[4].Values);
        Assert.Equal((ParamLocation.Header, true, "d"), (p[5].Location, p[5].Required, p[5].Description));
    }

    [Fact]
    public void Slashes_is_read_on_path_parameters_and_defaults_to_false()
    {
        var endpoint = Single(SpecBuilder.Endpoint(
            path: "/2.0/{workspace}/src/{node}/{path}",
            parameters: """
                [
                  { "name": "workspace", "in": "path", "slashes": false },
                  { "name": "node", "in": "path" },
                  { "name": "path", "in": "path", "slashes": true }
                ]
                """));

        Assert.Equal([false, false, true], endpoint.Parameters.Select(p => p.Slashes));
        Assert.Equal("/2.0/{workspace}/src/{node}/{path}", endpoint.Path);
    }

    [Fact]
    public void Slashes_takes_part_in_model_equality()
    {
        var json = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", "slashes": true } ]"""));

        Assert.Equal(SpecParser.Parse("p", json), SpecParser.Parse("p", json));
        Assert.NotEqual(SpecParser.Parse("p", json), SpecParser.Parse("p", json.Replace("\"slashes\": true", "\"slashes\": false", StringComparison.Ordinal)));
    }

    [Fact]
    public void Path_parameters_come_first_in_path_order_then_query_then_header()
    {
        var endpoint = Single(SpecBuilder.Endpoint(
            path: "/2.0/{b}/{a}",
            parameters: """
                [
                  { "name": "x-h", "in": "header" },
                  { "name": "q", "in": "query" },
                  { "name": "a", "in": "path" },
                  { "name": "b", "in": "path" }
                ]
                """));

        Assert.Equal(["b", "a", "q", "x-h"], endpoint.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Body_and_columns_are_read()
    {
        var endpoint = Single(SpecBuilder.Endpoint(extra: """
            "body": { "kind": "form", "fields": [ { "name": "a.b", "required": true }, { "name": "n", "type": "number", "description": "d" } ] },
                  "columns": ["id", "target.hash"],
                  "paginated": true,
                  "deprecated": true,
                  "description": "long",
                  "example": "bb repos list ws"
            """));

        Assert.Equal(BodyKind.Form, endpoint.BodyKind);
        Assert.Equal([new BodyFieldModel("a.b", "string", true, ""), new BodyFieldModel("n", "number", false, "d")], endpoint.BodyFields);
        Assert.Equal(["id", "target.hash"], endpoint.Columns);
        Assert.True(endpoint.Paginated);
        Assert.True(endpoint.Deprecated);
        Assert.Equal("long", endpoint.Description);
        Assert.Equal("bb repos list ws", endpoint.Example);
    }

    [Fact]
    public void A_body_of_kind_none_is_no_body()
        => Assert.Equal(BodyKind.None, Single(SpecBuilder.Endpoint(extra: "\"body\": { \"kind\": \"none\" }")).BodyKind);

    [Fact]
    public void Extension_keys_and_schema_are_ignored_everywhere()
    {
        var endpoint = Single(SpecBuilder.Endpoint(
            parameters: """[ { "name": "workspace", "in": "path", "x-note": 1 } ]""",
            extra: "\"x-internal\": true, \"$schema\": \"x\""));
        Assert.Equal("list", endpoint.Name);
    }

    [Fact]
    public void Parsing_is_deterministic_and_models_compare_by_value()
    {
        var json = File.ReadAllText(TestPaths.Fixture("everything.json"));

        Assert.Equal(SpecParser.Parse("p", json), SpecParser.Parse("p", json));
        Assert.NotEqual(SpecParser.Parse("p", json), SpecParser.Parse("p", json.Replace("Page size", "Page  size", StringComparison.Ordinal)));
    }

    [Fact]
    public void Diagnostic_positions_are_zero_based_line_and_column_with_the_token_span()
    {
        var json = "{\n  \"specVersion\": 1,\n  \"api\": { \"name\": 5, \"baseUrl\": \"https://x.test\" },\n  \"groups\": {},\n  \"endpoints\": []\n}";

        var diagnostic = Assert.Single(SpecParser.Parse("/r/api-spec.json", json).Diagnostics);

        Assert.Equal("BB0010", diagnostic.Id);
        var location = diagnostic.Location!.Value;
        Assert.Equal(("/r/api-spec.json", 2, 19, 2, 20), (location.FilePath, location.StartLine, location.StartColumn, location.EndLine, location.EndColumn));
        Assert.Equal(json.IndexOf(": 5", StringComparison.Ordinal) + 2, location.Start);
        Assert.Equal(1, location.Length);
    }

    [Fact]
    public void Line_map_agrees_with_roslyn_for_every_kind_of_line_break()
    {
        var text = "a\r\nb\rc\nd\u0085e\u2028f\u2029g\r\n\r\nh";
        var map = new LineMap("p", text);
        var source = Microsoft.CodeAnalysis.Text.SourceText.From(text);

        for (var offset = 0; offset <= text.Length; offset++)
        {
            var expected = source.Lines.GetLinePosition(offset);
            var actual = map.Locate(offset, 0);
            Assert.Equal((expected.Line, expected.Character), (actual.StartLine, actual.StartColumn));
        }
    }
}
