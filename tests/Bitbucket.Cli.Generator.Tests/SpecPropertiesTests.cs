namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// The property checks themselves, on the small fixture (fast): they hold for it, and each kind of
/// breakage in the generated code is reported (so a passing real-spec check means something).
/// </summary>
public sealed class SpecPropertiesTests
{
    private static readonly string Fixture = File.ReadAllText(TestPaths.Fixture("everything.json"));

    [Fact]
    public void The_fixture_has_every_property()
    {
        var check = SpecProperties.Check(Fixture);

        Assert.Empty(check.Violations);
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(Fixture)!["endpoints"]!.AsArray().Count, check.Endpoints.Count);
    }

    [Theory]
    [InlineData("IBitbucketApi.g.cs", "[global::Refit.Get(\"/2.0/ping\")]", "[global::Refit.Get(\"/2.0/pong\")]", "solo ping: SoloPing has the route /2.0/pong, the spec says /2.0/ping")]
    [InlineData("IBitbucketApi.g.cs", "[global::Refit.Get(\"/2.0/ping\")]", "[global::Refit.Post(\"/2.0/ping\")]", "solo ping: SoloPing is [PostAttribute], the spec says GET")]
    [InlineData("IBitbucketApi.g.cs", "[global::Refit.AliasAs(\"sort\"), global::Refit.Query] string? sort", "[global::Refit.AliasAs(\"sort\")] string? sort", "pull-requests list-comments: parameter 'sort' (query) is not bound on PullRequestsListComments")]
    [InlineData("SoloCommands.g.cs", "[global::Bitbucket.Cli.Core.Commands.EndpointHelp(\"solo\", \"ping\")]", "", "solo ping: 0 commands carry EndpointHelp(\"solo\", \"ping\")")]
    [InlineData("SoloCommands.g.cs", "[global::Cocona.Command(\"ping\", Description = \"The only command of its group\")]", "[global::Cocona.Command(\"ping\")]", "solo ping: the command has no description")]
    public void A_broken_route_verb_binding_command_or_description_is_reported(string file, string find, string replace, string expected)
    {
        var check = SpecProperties.Check(Fixture, (hint, text) =>
        {
            if (hint != file)
            {
                return text;
            }

            Assert.Contains(find, text, StringComparison.Ordinal); // the tampering really happens
            return text.Replace(find, replace, StringComparison.Ordinal);
        });

        Assert.Contains(expected, check.Violations);
    }
}
