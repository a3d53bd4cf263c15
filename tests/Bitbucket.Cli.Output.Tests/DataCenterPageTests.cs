using System.Text;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

/// <summary>The page reader tells a Data Center page (<c>isLastPage</c>, <c>nextPageStart</c>) from a Cloud one by its body.</summary>
public class DataCenterPageTests
{
    private static Task<PageResult> ReadAsync(string json) =>
        PageReader.ReadPageAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

    [Fact]
    public async Task A_data_center_page_has_start_limit_paging_and_its_next_page_start()
    {
        using var page = await ReadAsync("""{"size":2,"limit":2,"isLastPage":false,"values":[{"a":1},{"a":2}],"start":4,"nextPageStart":6}""");

        Assert.True(page.IsPaginated);
        Assert.Equal(PagingStyle.StartLimit, page.Paging);
        Assert.Equal([1, 2], page.Values.Select(v => v.GetProperty("a").GetInt32()));
        Assert.False(page.IsLastPage);
        Assert.Equal(6, page.NextPageStart);
        Assert.Equal(4, page.Start);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task The_last_data_center_page_has_no_next_page_start()
    {
        using var page = await ReadAsync("""{"size":1,"limit":25,"isLastPage":true,"values":[{"a":1}],"start":50}""");

        Assert.Equal(PagingStyle.StartLimit, page.Paging);
        Assert.True(page.IsLastPage);
        Assert.Null(page.NextPageStart);
    }

    [Fact]
    public async Task A_cloud_page_keeps_next_link_paging()
    {
        using var page = await ReadAsync("""{"pagelen":2,"values":[{"a":1}],"next":"https://x/2.0/r?page=2"}""");

        Assert.Equal(PagingStyle.NextLink, page.Paging);
        Assert.Null(page.IsLastPage);
        Assert.Null(page.NextPageStart);
    }

    [Theory]
    [InlineData("""{"values":[],"isLastPage":"no","nextPageStart":"25"}""")]
    [InlineData("""{"values":[],"isLastPage":null,"nextPageStart":1.5}""")]
    public async Task Wrongly_typed_paging_fields_are_ignored(string json)
    {
        using var page = await ReadAsync(json);

        Assert.Equal(PagingStyle.NextLink, page.Paging);
        Assert.Null(page.IsLastPage);
        Assert.Null(page.NextPageStart);
    }
}
