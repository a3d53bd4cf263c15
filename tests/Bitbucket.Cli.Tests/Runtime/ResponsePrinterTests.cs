using System.Net;
using System.Text;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>How one response is printed, in process: piped stdout, no terminal.</summary>
public sealed class ResponsePrinterTests
{
    private static readonly OutputSettings Piped = new();

    [Fact]
    public async Task Include_prints_the_status_line_and_headers_before_the_body()
    {
        var console = new TestConsole();
        using var response = Response(HttpStatusCode.OK, "{\"a\":1}", "application/json");
        response.Headers.Add("X-Bb-Test", "r1");

        var exit = await PrintAsync(console, response, new CommonOptions(Include: true));

        Assert.Equal(ExitCodes.Ok, exit);
        var printed = console.Out.Replace("\r\n", "\n", StringComparison.Ordinal);
        var (head, body) = (printed[..printed.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n'), printed[(printed.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);
        Assert.Equal("HTTP/1.1 200 OK", head[0]);
        Assert.Contains("X-Bb-Test: r1", head);
        Assert.Contains("Content-Type: application/json; charset=utf-8", head);
        Assert.Equal("{\"a\":1}\n", body);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_copied_exactly()
    {
        var console = new TestConsole();
        using var response = Response(HttpStatusCode.OK, "diff --git a b\n+x", "text/plain");

        await PrintAsync(console, response, new CommonOptions());

        Assert.Equal("diff --git a b\n+x", console.Out);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, typeof(AuthException), "Token expired (HTTP 401); run bb auth login (or check BB_CONSUMER_KEY/BB_ACCESS_TOKEN)")]
    [InlineData(HttpStatusCode.NotFound, typeof(CliException), "Token expired (HTTP 404)")]
    public async Task An_error_response_becomes_one_line_and_prints_nothing(HttpStatusCode status, Type expected, string message)
    {
        var console = new TestConsole();
        using var response = Response(status, """{"type":"error","error":{"message":"Token expired"}}""", "application/json");

        var error = await Assert.ThrowsAnyAsync<CliException>(() => PrintAsync(console, response, new CommonOptions()));

        Assert.IsType(expected, error);
        Assert.Equal(message, error.Message);
        Assert.Equal("", console.Out);
    }

    [Fact]
    public async Task A_list_with_jsonl_streams_its_values_one_per_line()
    {
        var console = new TestConsole();
        using var response = Response(HttpStatusCode.OK, """{"values":[{"n":1},{"n":2}]}""", "application/json");

        await PrintAsync(console, response, new CommonOptions(Jsonl: true), new OutputSettings { Jsonl = true }, paginated: true);

        Assert.Equal("{\"n\":1}\n{\"n\":2}\n", console.Out);
    }

    private static async Task<int> PrintAsync(TestConsole console, HttpResponseMessage response, CommonOptions common, OutputSettings? settings = null, bool paginated = false)
    {
        using var http = new HttpClient(new StubHandler()) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        return await new ResponsePrinter(console.IO).PrintAsync(http, response, paginated, common, settings ?? Piped, CancellationToken.None);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType) => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, mediaType),
        RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:9/2.0/x"),
    };
}
