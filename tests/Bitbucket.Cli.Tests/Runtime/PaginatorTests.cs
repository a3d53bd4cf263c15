using System.Text;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>The page loop in process, against stubbed pages: what it fetches and what it prints.</summary>
public sealed class PaginatorTests
{
    private const string Origin = "http://127.0.0.1:9/2.0/items";

    private static readonly OutputSettings Jsonl = new() { Jsonl = true };

    [Fact]
    public async Task Following_prints_every_pages_values_and_fetches_each_next_link_once()
    {
        var stubs = new StubHandler()
            .Json(Origin + "?page=2", Page([3, 4], Origin + "?page=3"))
            .Json(Origin + "?page=3", Page([5], next: null));

        var output = await RunAsync(stubs, Page([1, 2], Origin + "?page=2"), follow: true, limit: long.MaxValue);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n", output);
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task Without_following_only_the_first_page_is_printed()
    {
        var stubs = new StubHandler();

        var output = await RunAsync(stubs, Page([1, 2], Origin + "?page=2"), follow: false, limit: long.MaxValue);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n", output);
        Assert.Empty(stubs.Requested);
    }

    [Fact]
    public async Task The_limit_stops_within_a_page_and_fetches_no_more()
    {
        var stubs = new StubHandler().Json(Origin + "?page=2", Page([3, 4], Origin + "?page=3"));

        var output = await RunAsync(stubs, Page([1, 2], Origin + "?page=2"), follow: true, limit: 3);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", output);
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task A_failing_later_page_keeps_what_was_printed_and_reports_the_api_error()
    {
        var stubs = new StubHandler().Json(Origin + "?page=2", """{"type":"error","error":{"message":"Gone"}}""", System.Net.HttpStatusCode.NotFound);
        var console = new TestConsole();

        var error = await Assert.ThrowsAsync<CliException>(() => RunAsync(stubs, Page([1], Origin + "?page=2"), follow: true, limit: long.MaxValue, console));

        Assert.Equal("Gone (HTTP 404)", error.Message);
        Assert.Equal("{\"n\":1}\n", console.Out);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/x")]
    public void A_next_link_that_is_not_http_is_refused(string next)
    {
        var error = Assert.Throws<CliException>(() => Paginator.NextPageUri(new Uri(Origin), next));

        Assert.Equal("the response from /2.0/items has a 'next' link that is not an http(s) URL; stopped after the pages so far", error.Message);
    }

    [Fact]
    public void A_relative_next_link_resolves_against_the_page_it_came_from()
        => Assert.Equal(Origin + "?page=2", Paginator.NextPageUri(new Uri(Origin + "?page=1"), "?page=2").AbsoluteUri);

    [Fact]
    public void A_negative_limit_is_a_usage_error()
        => Assert.Equal("--limit must be 0 or more", Assert.Throws<UsageException>(() => Paginator.ParseLimit(-1)).Message);

    private static async Task<string> RunAsync(StubHandler stubs, string firstPage, bool follow, long limit, TestConsole? console = null)
    {
        console ??= new TestConsole();
        using var http = new HttpClient(stubs);
        var paginator = new Paginator(console.IO, http, follow, limit);
        await paginator.PrintAsync(new MemoryStream(Encoding.UTF8.GetBytes(firstPage)), new Uri(Origin), new OutputWriter(Jsonl, console.IO.Out), CancellationToken.None);
        return console.Out;
    }

    private static string Page(int[] values, string? next)
    {
        var items = string.Join(",", values.Select(v => $"{{\"n\":{v}}}"));
        return next is null ? $"{{\"values\":[{items}]}}" : $"{{\"values\":[{items}],\"next\":\"{next}\"}}";
    }
}
