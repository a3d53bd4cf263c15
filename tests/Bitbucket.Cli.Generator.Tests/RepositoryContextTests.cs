using Bitbucket.Cli.Generator.Model;
using Bitbucket.Cli.Generator.Parsing;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>The spec's <c>"context"</c> key: which path parameters are repository coordinates, and what is emitted for them.</summary>
public sealed class RepositoryContextTests
{
    private const string RepoPath = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests/{id}";

    private static string Marked(string workspace = "\"context\": \"owner\"", string repo = "\"context\": \"repo\"", string id = "")
        => SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: RepoPath, parameters: $$"""
            [
              { "name": "workspace", "in": "path"{{(workspace.Length > 0 ? ", " + workspace : "")}} },
              { "name": "repo_slug", "in": "path"{{(repo.Length > 0 ? ", " + repo : "")}} },
              { "name": "id", "in": "path"{{(id.Length > 0 ? ", " + id : "")}} },
              { "name": "state", "in": "query" }
            ]
            """));

    [Fact]
    public void Owner_and_repo_are_read_onto_the_first_two_path_parameters()
    {
        var result = SpecParser.Parse("api-spec.json", Marked());

        Assert.True(result.Diagnostics.IsEmpty);
        var parameters = Assert.Single(result.Spec.Endpoints).Parameters;
        Assert.Equal(["owner", "repo", null, null], parameters.Select(p => p.Context));
    }

    [Fact]
    public void The_generated_code_carries_the_coordinates_and_help_says_where_they_come_from()
    {
        var sources = GeneratorHarness.Sources(GeneratorHarness.Run(Marked()));

        Assert.Contains("CliName: \"workspace\", Location: global::Bitbucket.Cli.Core.Commands.ParameterLocation.Path, Type: \"string\", Required: true, Default: null, Description: \"\", Values: [], Context: \"owner\")", sources["GeneratedEndpoints.g.cs"], StringComparison.Ordinal);
        Assert.Contains("Context: \"repo\")", sources["GeneratedEndpoints.g.cs"], StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(sources["ReposCommands.g.cs"], @"\(default: from -R, BB_REPO or the git remote\)").Count);
    }

    [Fact]
    public void Without_context_nothing_new_is_emitted()
    {
        var sources = GeneratorHarness.Sources(GeneratorHarness.Run(Marked(workspace: "", repo: "")));

        Assert.DoesNotContain("Context:", sources["GeneratedEndpoints.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("git remote", sources["ReposCommands.g.cs"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"context\": \"owner\"", "", "", "no \"repo\" one")]
    [InlineData("", "\"context\": \"repo\"", "", "no \"owner\" one")]
    [InlineData("\"context\": \"owner\"", "\"context\": \"owner\"", "", "second \"owner\"")]
    [InlineData("\"context\": \"repo\"", "\"context\": \"owner\"", "", "placeholder number 1")]
    [InlineData("", "\"context\": \"owner\"", "\"context\": \"repo\"", "placeholder number 1")]
    public void Coordinates_that_are_not_one_owner_then_one_repo_first_are_BB0058(string workspace, string repo, string id, string expected)
    {
        var result = SpecParser.Parse("api-spec.json", Marked(workspace, repo, id));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BB0058", diagnostic.Id);
        Assert.Contains(expected, string.Join(" ", diagnostic.MessageArgs), StringComparison.Ordinal);
    }

    [Fact]
    public void Context_on_a_query_parameter_is_BB0058()
    {
        var spec = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "repo", "in": "query", "context": "repo" } ]"""));

        var diagnostic = Assert.Single(SpecParser.Parse("api-spec.json", spec).Diagnostics);

        Assert.Equal("BB0058", diagnostic.Id);
        Assert.Contains("query parameter", string.Join(" ", diagnostic.MessageArgs), StringComparison.Ordinal);
    }
}
