using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>A command that exists only on the other flavour is refused with one line naming both.</summary>
public sealed class FlavorGuardTests
{
    private static readonly EndpointInfo[] Catalog =
    [
        Endpoint("branches", "list", ApiFlavor.Cloud),
        Endpoint("branches", "list", ApiFlavor.DataCenter),
        Endpoint("prs", "list", ApiFlavor.Cloud),
        Endpoint("prs", "list", ApiFlavor.DataCenter),
        Endpoint("prs", "reopen", ApiFlavor.DataCenter),
        Endpoint("pipelines", "list", ApiFlavor.Cloud),
        Endpoint("applinks", "list", ApiFlavor.DataCenter),
    ];

    [Fact]
    public void A_data_center_command_on_a_cloud_host_is_refused()
        => Assert.Equal(
            "'bb prs reopen' is a Bitbucket Data Center command; host 'bitbucket.org' is Bitbucket Cloud (use --host to pick a Data Center host)",
            FlavorGuard.Mismatch(Catalog, ApiFlavor.Cloud, "bitbucket.org", "prs", "reopen"));

    [Fact]
    public void A_cloud_command_on_a_data_center_host_is_refused_the_other_way_round()
        => Assert.Equal(
            "'bb pipelines list' is a Bitbucket Cloud command; host 'work' is Bitbucket Data Center (use --host to pick a Cloud host)",
            FlavorGuard.Mismatch(Catalog, ApiFlavor.DataCenter, "work", "pipelines", "list"));

    [Theory]
    [InlineData("applinks", null)]
    [InlineData("applinks", "nosuch")]
    public void A_group_only_the_other_flavour_has_is_refused_as_a_group(string group, string? command)
        => Assert.Equal(
            "'bb applinks' is a Bitbucket Data Center command group; host 'bitbucket.org' is Bitbucket Cloud (use --host to pick a Data Center host)",
            FlavorGuard.Mismatch(Catalog, ApiFlavor.Cloud, "bitbucket.org", group, command));

    [Theory]
    [InlineData(ApiFlavor.Cloud, "branches", "list")]   // on both
    [InlineData(ApiFlavor.DataCenter, "branches", "list")]
    [InlineData(ApiFlavor.DataCenter, "prs", "reopen")] // its own
    [InlineData(ApiFlavor.Cloud, "prs", "nosuch")]      // neither has it: Cocona's "not a command"
    [InlineData(ApiFlavor.Cloud, "prs", null)]          // the group exists here
    [InlineData(ApiFlavor.Cloud, "nosuch", "cmd")]
    [InlineData(ApiFlavor.Cloud, "auth", "login")]      // not generated
    [InlineData(ApiFlavor.Cloud, null, null)]
    public void Everything_else_is_left_to_cocona(ApiFlavor flavor, string? group, string? command)
        => Assert.Null(FlavorGuard.Mismatch(Catalog, flavor, "h", group, command));

    [Fact]
    public void Names_compare_ignoring_case_like_the_command_line()
        => Assert.NotNull(FlavorGuard.Mismatch(Catalog, ApiFlavor.Cloud, "h", "PRS", "Reopen"));

    private static EndpointInfo Endpoint(string group, string name, ApiFlavor flavor) =>
        new(group, name, "GET", "/x", "s", "", null, false, false, BodyKind.None, [], [], [], flavor);
}
