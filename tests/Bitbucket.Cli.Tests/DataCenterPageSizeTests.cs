using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 17 on Data Center: a generated list command that follows every page asks for <c>limit=1000</c>
/// (the server's default maximum) unless <c>--page-size</c> chose one; <c>--limit N</c> asks for N.
/// </summary>
public sealed class DataCenterPageSizeTests(LoggedInDataCenterFixture dc) : IClassFixture<LoggedInDataCenterFixture>
{
    private const string Branches = "/rest/api/latest/projects/PROJ/repos/many/branches";

    [Fact]
    public async Task Limit_asks_for_the_items_it_needs_and_page_size_is_kept()
    {
        var bb = await dc.LoggedInAsync();
        await dc.ClearRequestsAsync();
        var limited = await bb.RunAsync("branches", "list", "PROJ", "many", "--limit", "30", "--host", "dc");
        var limitedRequests = await dc.BranchRequestsAsync();

        await dc.ClearRequestsAsync();
        var chosen = await bb.RunAsync("branches", "list", "PROJ", "many", "--page-size", "20", "--paginate", "--host", "dc");
        var chosenRequests = await dc.BranchRequestsAsync();

        Assert.True(limited.ExitCode == 0, limited.ToString());
        using (var some = JsonDocument.Parse(limited.Stdout))
        {
            Assert.Equal(30, some.RootElement.GetArrayLength());
        }

        Assert.Equal([Branches + "?limit=30"], limitedRequests);
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        using var all = JsonDocument.Parse(chosen.Stdout);
        Assert.Equal(60, all.RootElement.GetArrayLength());
        Assert.Equal([Branches + "?limit=20", Branches + "?limit=20&start=20", Branches + "?limit=20&start=40"], chosenRequests);
    }
}
