using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>
/// Data Center's start/limit pages in the page loop: the next request is the same URL with
/// <c>start=nextPageStart</c>, and a server whose pages do not advance (or a Cloud <c>next</c> that loops)
/// ends with one error after valid JSON of what was fetched.
/// </summary>
public sealed class DataCenterPagingTests
{
    private const string Branches = "http://127.0.0.1:9/rest/api/latest/projects/PROJ/repos/many/branches";

    private static readonly OutputSettings Jsonl = new() { Jsonl = true };

    [Fact]
    public async Task Following_asks_again_with_start_set_to_next_page_start_and_keeps_the_other_parameters()
    {
        var first = new Uri(Branches + "?limit=2&filterText=a%20b");
        var stubs = new StubHandler()
            .Json(Branches + "?limit=2&filterText=a%20b&start=2", Page([3, 4], start: 2, nextPageStart: 4))
            .Json(Branches + "?limit=2&filterText=a%20b&start=4", Page([5], start: 4, nextPageStart: null));

        var output = await RunAsync(stubs, first, Page([1, 2], start: 0, nextPageStart: 2), Jsonl, limit: long.MaxValue);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n", output);
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task An_existing_start_is_replaced_in_place()
    {
        var stubs = new StubHandler().Json(Branches + "?start=25&limit=25", Page([2], start: 25, nextPageStart: null));

        var output = await RunAsync(stubs, new Uri(Branches + "?start=0&limit=25"), Page([1], start: 0, nextPageStart: 25), Jsonl, limit: long.MaxValue);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n", output);
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task The_last_page_ends_the_list_even_with_a_next_page_start()
    {
        var stubs = new StubHandler();

        var output = await RunAsync(stubs, new Uri(Branches), """{"size":1,"limit":25,"start":0,"isLastPage":true,"nextPageStart":25,"values":[{"n":1}]}""", Jsonl, limit: long.MaxValue);

        Assert.Equal("{\"n\":1}\n", output);
        Assert.Empty(stubs.Requested);
    }

    [Fact]
    public async Task The_limit_stops_within_a_page_and_fetches_no_more()
    {
        var stubs = new StubHandler().Json(Branches + "?start=2", Page([3, 4], start: 2, nextPageStart: 4));

        var output = await RunAsync(stubs, new Uri(Branches), Page([1, 2], start: 0, nextPageStart: 2), Jsonl, limit: 3);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", output);
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task Without_following_a_page_that_would_not_advance_is_not_an_error()
    {
        var stubs = new StubHandler();
        var console = new TestConsole();
        using var http = new HttpClient(stubs);

        await new Paginator(console.IO, http, follow: false, long.MaxValue).PrintAsync(
            Body(Page([1], start: 0, nextPageStart: 0)), new Uri(Branches), new OutputWriter(Jsonl, console.IO.Out), CancellationToken.None);

        Assert.Equal("{\"n\":1}\n", console.Out);
    }

    [Theory]
    [InlineData(25L)] // the same start again
    [InlineData(0L)]  // back to the first page
    [InlineData(-1L)]
    public async Task A_next_page_start_that_does_not_advance_ends_with_one_error_after_valid_json(long repeated)
    {
        var stubs = new StubHandler().Json(Branches + "?start=25", Page([2], start: 25, nextPageStart: repeated));
        var console = new TestConsole();

        var error = await Assert.ThrowsAsync<CliException>(() =>
            RunAsync(stubs, new Uri(Branches), Page([1], start: 0, nextPageStart: 25), new OutputSettings(), long.MaxValue, console));

        Assert.Equal(
            $"the response from /rest/api/latest/projects/PROJ/repos/many/branches has nextPageStart {repeated}, which did not advance past start 25; stopped after the pages so far",
            error.Message);
        Assert.Equal(ExitCodes.Error, error.ExitCode);
        Assert.Equal([1, 2], ValuesOf(console.Out));
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task A_cloud_next_link_back_to_a_page_already_fetched_ends_with_one_error_after_valid_json()
    {
        const string origin = "http://127.0.0.1:9/2.0/items";
        var stubs = new StubHandler()
            .Json(origin + "?page=2", CloudPage([2], origin + "?page=3"))
            .Json(origin + "?page=3", CloudPage([3], origin + "?page=2"));
        var console = new TestConsole();

        var error = await Assert.ThrowsAsync<CliException>(() =>
            RunAsync(stubs, new Uri(origin + "?page=1"), CloudPage([1], origin + "?page=2"), new OutputSettings(), long.MaxValue, console));

        Assert.Equal("the response from /2.0/items has a 'next' link to a page already fetched, so paging did not advance; stopped after the pages so far", error.Message);
        Assert.Equal([1, 2, 3], ValuesOf(console.Out));
        stubs.AssertAllUsed();
    }

    [Fact]
    public async Task A_cloud_next_link_to_the_first_page_is_a_loop_too()
    {
        const string origin = "http://127.0.0.1:9/2.0/items";
        var console = new TestConsole();

        var error = await Assert.ThrowsAsync<CliException>(() =>
            RunAsync(new StubHandler(), new Uri(origin), CloudPage([1], origin), new OutputSettings(), long.MaxValue, console));

        Assert.Contains("did not advance", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], ValuesOf(console.Out));
    }

    [Fact]
    public async Task Table_output_and_the_progress_line_work_on_data_center_pages_as_on_cloud_pages()
    {
        var stubs = new StubHandler().Json(Branches + "?start=2", Page([3], start: 2, nextPageStart: null));
        var error = new StringWriter();
        var console = new TestConsole();
        var io = new ConsoleIO { Out = console.IO.Out, OutStream = console.IO.OutStream, Error = error, In = console.IO.In, Environment = console.IO.Environment, StderrIsTty = true };
        using var http = new HttpClient(stubs);

        await new Paginator(io, http, follow: true, long.MaxValue).PrintAsync(
            Body(Page([1, 2], start: 0, nextPageStart: 2)), new Uri(Branches), new OutputWriter(new OutputSettings { Format = OutputFormat.Table, Columns = ["n"] }, io.Out), CancellationToken.None);

        Assert.Equal(["N", "1", "2", "3"], console.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("fetched 2 pages, 3 items", error.ToString(), StringComparison.Ordinal);
        stubs.AssertAllUsed();
    }

    [Theory]
    [InlineData("http://h/x", 7L, "http://h/x?start=7")]
    [InlineData("http://h/x?limit=5", 7L, "http://h/x?limit=5&start=7")]
    [InlineData("http://h/x?start=1&limit=5", 7L, "http://h/x?start=7&limit=5")]
    [InlineData("http://h/x?q=%2Fa%2B&start=1&start=2", 7L, "http://h/x?q=%2Fa%2B&start=7")]
    [InlineData("http://h/x?starts=1", 7L, "http://h/x?starts=1&start=7")]
    public void The_next_url_sets_start_and_keeps_every_other_parameter_as_sent(string url, long start, string expected)
        => Assert.Equal(expected, Paginator.WithStart(new Uri(url), start).AbsoluteUri);

    [Theory]
    [InlineData("http://h/x", 0L)]
    [InlineData("http://h/x?limit=5&start=50", 50L)]
    [InlineData("http://h/x?start=abc", 0L)]
    public void The_current_start_comes_from_the_request(string url, long start)
        => Assert.Equal(start, Paginator.StartOf(new Uri(url)));

    private static async Task<string> RunAsync(StubHandler stubs, Uri firstUri, string firstPage, OutputSettings settings, long limit, TestConsole? console = null)
    {
        console ??= new TestConsole();
        using var http = new HttpClient(stubs);
        var paginator = new Paginator(console.IO, http, follow: true, limit);
        await paginator.PrintAsync(Body(firstPage), firstUri, new OutputWriter(settings, console.IO.Out), CancellationToken.None);
        return console.Out;
    }

    private static MemoryStream Body(string page) => new(Encoding.UTF8.GetBytes(page));

    /// <summary>The printed JSON array's <c>n</c> values: parsing fails the test when stdout is not one valid JSON array.</summary>
    private static int[] ValuesOf(string stdout)
    {
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.EnumerateArray().Select(v => v.GetProperty("n").GetInt32()).ToArray();
    }

    private static string Page(int[] values, long start, long? nextPageStart)
    {
        var items = string.Join(",", values.Select(v => $"{{\"n\":{v}}}"));
        var tail = nextPageStart is { } next ? $"\"isLastPage\":false,\"nextPageStart\":{next}" : "\"isLastPage\":true";
        return $"{{\"size\":{values.Length},\"limit\":25,\"start\":{start},\"values\":[{items}],{tail}}}";
    }

    private static string CloudPage(int[] values, string next)
    {
        var items = string.Join(",", values.Select(v => $"{{\"n\":{v}}}"));
        return $"{{\"values\":[{items}],\"next\":\"{next}\"}}";
    }
}
