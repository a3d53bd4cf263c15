using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Git;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>The one counting rule for omitted coordinates, in process: options and their values are not arguments.</summary>
public sealed class ContextArgumentsTests
{
    private static readonly EndpointInfo PrsList = new(
        "prs", "list", "GET", "/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "s", "", null, true, false, BodyKind.None,
        [
            new("workspace", "workspace", ParameterLocation.Path, "string", true, null, "", [], "owner"),
            new("repo_slug", "repo-slug", ParameterLocation.Path, "string", true, null, "", [], "repo"),
            new("state", "state", ParameterLocation.Query, "enum", false, null, "", ["OPEN"]),
            new("draft", "draft", ParameterLocation.Query, "boolean", false, null, "", []),
        ],
        [],
        []);

    private static string[] Apply(params string[] args)
    {
        var builtIn = HostConfig.BitbucketCloud("https://api.bitbucket.org");
        var remoteCalls = 0;
        var result = new ContextArguments([PrsList], BbConfig.Empty(builtIn), _ => null, () =>
        {
            remoteCalls++;
            return RemoteUrl.Parse("git@bitbucket.org:ws/api.git");
        }, []).Apply(args, _ => ApiFlavor.Cloud);
        Assert.True(remoteCalls <= 1);
        return result;
    }

    [Theory]
    [InlineData(new[] { "prs", "list" }, new[] { "prs", "list", "ws", "api", "--host", "bitbucket.org" })]
    [InlineData(new[] { "prs", "list", "--state", "OPEN" }, new[] { "prs", "list", "ws", "api", "--host", "bitbucket.org", "--state", "OPEN" })]
    [InlineData(new[] { "prs", "list", "--draft", "--format", "table" }, new[] { "prs", "list", "ws", "api", "--host", "bitbucket.org", "--draft", "--format", "table" })]
    [InlineData(new[] { "prs", "list", "-R", "team/web" }, new[] { "prs", "list", "team", "web", "--host", "bitbucket.org", "-R", "team/web" })]
    public void Omitted_coordinates_are_inserted_after_the_command(string[] args, string[] expected) => Assert.Equal(expected, Apply(args));

    [Theory]
    [InlineData("prs", "list", "a", "b")]
    [InlineData("prs", "list", "a")]
    [InlineData("prs", "list", "--help")]
    [InlineData("prs", "list", "--", "a", "b")]
    [InlineData("repos", "list")]
    public void Any_other_command_line_is_left_as_it_is(params string[] args) => Assert.Equal(args, Apply(args));

    [Fact]
    public void Typed_coordinates_and_dash_R_together_are_a_usage_error()
        => Assert.Throws<UsageException>(() => Apply("prs", "list", "a", "b", "--repo=team/web"));
}
