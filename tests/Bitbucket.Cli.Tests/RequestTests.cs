using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>Generated commands put exactly the right request on the wire.</summary>
public sealed class RequestTests
{
    private const string EmptyPage = """{"pagelen":10,"values":[]}""";

    [Fact]
    public async Task Branches_list_sends_the_seed_call_to_the_given_api_url()
    {
        await using var server = RawHttpServer.Answering(200, EmptyPage);
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET /2.0/repositories/ws/repo/refs/branches", request.RequestLine);
        Assert.Equal(EmptyPage, result.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public async Task BB_API_URL_selects_the_origin_too()
    {
        await using var server = RawHttpServer.Answering(200, """{"username":"x"}""");
        using var bb = new BbProcess();
        bb.Environment["BB_API_URL"] = server.Origin;

        var result = await bb.RunAsync("user", "get");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GET /2.0/user", Assert.Single(server.Requests).RequestLine);
    }

    [Theory]
    [InlineData("name ~ \"api\"", "name%20~%20%22api%22")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("tilde~ok", "tilde~ok")]
    [InlineData("ünïcode ✓", "%C3%BCn%C3%AFcode%20%E2%9C%93")]
    [InlineData("100%", "100%25")]
    public async Task Query_options_are_percent_encoded_exactly(string value, string encoded)
    {
        await using var server = RawHttpServer.Answering(200, EmptyPage);
        using var bb = new BbProcess();

        var result = await bb.RunAsync("repos", "list", "my team", "--q", value, "--role", "member", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        var target = Assert.Single(server.Requests).Target;
        Assert.StartsWith("/2.0/repositories/my%20team?", target, StringComparison.Ordinal);
        Assert.Contains("q=" + encoded, target, StringComparison.Ordinal);
        Assert.Contains("role=member", target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_request_create_sends_a_nested_json_body()
    {
        await using var server = RawHttpServer.Answering(201, """{"id":1}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync(
            "prs", "create", "ws", "repo", "--api-url", server.Origin,
            "-f", "title=Add login ✓", "-f", "source.branch.name=feature/login", "-F", "close_source_branch=true");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST /2.0/repositories/ws/repo/pullrequests", request.RequestLine);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("Add login ✓", body.RootElement.GetProperty("title").GetString());
        Assert.Equal("feature/login", body.RootElement.GetProperty("source").GetProperty("branch").GetProperty("name").GetString());
        Assert.True(body.RootElement.GetProperty("close_source_branch").GetBoolean());
    }

    [Fact]
    public async Task A_required_array_field_can_be_given_item_by_item()
    {
        // events is required and an array: gh's key[]=value form must satisfy it, not only events=….
        var (result, requests) = await CreateWebhookAsync("-f", "events[]=repo:push", "-f", "events[]=pullrequest:created");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var body = JsonDocument.Parse(Assert.Single(requests).Body);
        Assert.Equal(
            new[] { "repo:push", "pullrequest:created" },
            body.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_required_field_is_not_satisfied_by_a_field_that_only_starts_with_its_name()
    {
        var (result, requests) = await CreateWebhookAsync("-f", "events_extra[]=repo:push");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing required field 'events' (add -f events[]=…)", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(requests);
    }

    /// <summary><c>bb webhooks create</c> with its two required string fields and <paramref name="fields"/>.</summary>
    private static async Task<(BbResult Result, RawRequest[] Requests)> CreateWebhookAsync(params string[] fields)
    {
        await using var server = RawHttpServer.Answering(201, """{"uuid":"{1}"}""");
        using var bb = new BbProcess();
        var result = await bb.RunAsync(
            ["webhooks", "create", "ws", "repo", "--api-url", server.Origin, "-f", "url=https://ci.example/hook", "-f", "description=CI", .. fields]);
        return (result, server.Requests.ToArray());
    }

    [Fact]
    public async Task Input_file_is_sent_as_the_body()
    {
        await using var server = RawHttpServer.Answering(201, """{"id":2}""");
        using var bb = new BbProcess();
        var file = Path.Combine(bb.Home, "pr.json");
        await File.WriteAllTextAsync(file, """{"title":"From file","source":{"branch":{"name":"x"}}}""");

        var result = await bb.RunAsync("prs", "create", "ws", "repo", "--api-url", server.Origin, "--input", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"title":"From file","source":{"branch":{"name":"x"}}}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task Api_command_makes_the_seeds_exact_call()
    {
        await using var server = RawHttpServer.Answering(200, """{"main":{}}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/1.0/repositories/USER/REPO/branches", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GET /1.0/repositories/USER/REPO/branches", Assert.Single(server.Requests).RequestLine);
        Assert.Equal("""{"main":{}}""", result.Stdout.Trim());
    }

    [Fact]
    public async Task Api_command_sends_fields_as_query_for_get_and_json_for_post()
    {
        await using var server = RawHttpServer.Answering(200, "{}");
        using var bb = new BbProcess();

        var get = await bb.RunAsync("api", "/2.0/repositories/ws", "-X", "GET", "-f", "q=name ~ \"x\"", "--api-url", server.Origin);
        var post = await bb.RunAsync("api", "/2.0/things", "-F", "n=3", "-f", "s=3", "-H", "X-Test: yes", "--api-url", server.Origin);

        Assert.True(get.ExitCode == 0 && post.ExitCode == 0, get + "\n" + post);
        var requests = server.Requests.ToArray();
        Assert.Equal("GET /2.0/repositories/ws?q=name%20~%20%22x%22", requests[0].RequestLine);
        Assert.Equal("POST /2.0/things", requests[1].RequestLine);
        using var body = JsonDocument.Parse(requests[1].Body);
        Assert.Equal(3, body.RootElement.GetProperty("n").GetInt32());
        Assert.Equal("3", body.RootElement.GetProperty("s").GetString());
        Assert.Equal("yes", requests[1].Header("X-Test"));
    }

    [Fact]
    public async Task Include_prints_the_status_line_and_headers_before_the_body()
    {
        await using var server = RawHttpServer.Answering(200, """{"ok":true}""", "application/json", ("X-Trace", "abc123"));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/2.0/user", "-i", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Equal("HTTP/1.1 200 OK", lines[0]);
        Assert.Contains("X-Trace: abc123", lines);
        Assert.Equal("""{"ok":true}""", lines.SkipWhile(l => l.Length > 0).Skip(1).First());
    }

    [Fact]
    public async Task A_post_is_not_retried_but_a_get_is()
    {
        await using var server = RawHttpServer.Answering(503, """{"type":"error","error":{"message":"busy"}}""");
        using var bb = new BbProcess();

        var post = await bb.RunAsync("api", "/2.0/things", "-f", "a=b", "--api-url", server.Origin);
        var postRequests = server.Requests.Count;
        var get = await bb.RunAsync("api", "/2.0/things", "--api-url", server.Origin);

        Assert.Equal(1, post.ExitCode);
        Assert.Equal("bb: busy (HTTP 503)", post.Stderr.Trim());
        Assert.Equal(1, postRequests);
        Assert.Equal(1, get.ExitCode);
        Assert.Equal(1 + 4, server.Requests.Count);
    }
}
