using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 17 (fewer round trips, pages in parallel) and issue 14 item 7 (<c>--slurp</c>, the table's hint),
/// through the built bb against its own local provider (so the latency hook slows no other test).
/// The provider's <c>big</c> workspace has 250 repositories. Nothing here measures time: overlap is read
/// from what the provider saw (<c>/__test/paging</c>), never from a clock.
/// </summary>
public sealed class PagingRoundTwoTests(ProviderFixture provider) : IClassFixture<ProviderFixture>, IAsyncLifetime
{
    private const string Repositories = "/2.0/repositories/big";
    private readonly BbProcess bb = new();

    public async Task InitializeAsync() => Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);

    public async Task DisposeAsync()
    {
        await DeleteAsync("/__test/paging");
        bb.Dispose();
    }

    [Fact]
    public async Task Paginate_asks_for_pages_of_100_when_the_user_chose_no_size()
    {
        await DeleteAsync("/__test/requests");

        var result = await bb.RunAsync("repos", "list", "big", "--paginate", "--jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(250, result.Stdout.TrimEnd('\n').Split('\n').Length);
        var targets = await RepositoryTargetsAsync();
        Assert.Equal(3, targets.Count);
        Assert.Equal(Repositories + "?pagelen=100", targets[0]);
    }

    [Fact]
    public async Task A_size_the_user_chose_is_kept_and_limit_asks_for_no_more_than_it_needs()
    {
        await DeleteAsync("/__test/requests");
        var chosen = await bb.RunAsync("repos", "list", "big", "--pagelen", "50", "--paginate", "--parallel", "1", "--jsonl");
        var chosenTargets = await RepositoryTargetsAsync();

        await DeleteAsync("/__test/requests");
        var limited = await bb.RunAsync("repos", "list", "big", "--limit", "15", "--jsonl");
        var limitedTargets = await RepositoryTargetsAsync();

        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        Assert.Equal(5, chosenTargets.Count);
        Assert.Equal(Repositories + "?pagelen=50", chosenTargets[0]);
        Assert.DoesNotContain(chosenTargets, t => t.Contains("pagelen=100", StringComparison.Ordinal));
        Assert.True(limited.ExitCode == 0, limited.ToString());
        Assert.Equal(15, limited.Stdout.TrimEnd('\n').Split('\n').Length);
        Assert.Equal([Repositories + "?pagelen=15"], limitedTargets);
    }

    [Fact]
    public async Task Pages_fetched_in_parallel_print_byte_identical_to_one_at_a_time_and_overlap()
    {
        var sequential = await PagedAsync(latencyMs: 100, "--parallel", "1");
        var sequentialSeen = await PagingRecordAsync();
        var parallel = await PagedAsync(latencyMs: 100);
        var parallelSeen = await PagingRecordAsync();

        Assert.Equal(sequential, parallel);
        using (var all = JsonDocument.Parse(parallel))
        {
            Assert.Equal(250, all.RootElement.GetArrayLength());
        }

        Assert.Equal(25, sequentialSeen.Count);
        Assert.All(sequentialSeen, r => Assert.Equal(1, r.Concurrent));
        Assert.Equal(Enumerable.Range(1, 25), parallelSeen.Select(r => r.Page).Order());
        Assert.Contains(parallelSeen, r => r.Concurrent > 1);
        Assert.All(parallelSeen, r => Assert.InRange(r.Concurrent, 1, 4));
    }

    [Fact]
    public async Task Pages_that_finish_out_of_order_are_still_printed_in_order()
    {
        var sequential = await PagedAsync(latencyMs: 0, "--parallel", "1");

        var parallel = await PagedAsync(latencyMs: 50, "--parallel", "4", "--slow-page", "2");
        var seen = await PagingRecordAsync();

        // Page 2 took longest: pages after it finished first, and the output is still the sequential one.
        var page2 = seen.Single(r => r.Page == 2);
        Assert.Contains(seen, r => r.Page == 3 && r.Done < page2.Done);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public async Task A_rate_limited_page_backs_the_window_off_to_one_page_at_a_time()
    {
        var sequential = await PagedAsync(latencyMs: 0, "--parallel", "1");

        var parallel = await PagedAsync(latencyMs: 150, "--fail-page", "4");
        var seen = await PagingRecordAsync();

        Assert.Equal(sequential, parallel);
        Assert.Equal(2, seen.Count(r => r.Page == 4));
        Assert.Contains(seen, r => r.Page < 4 && r.Concurrent > 1);
        // Pages from 10 on were all asked for after page 4's 429 was seen: one at a time.
        Assert.All(seen.Where(r => r.Page >= 10), r => Assert.Equal(1, r.Concurrent));
        Assert.Equal(Enumerable.Range(10, 16), seen.Where(r => r.Page >= 10).Select(r => r.Page));
    }

    [Fact]
    public async Task A_page_that_fails_in_parallel_fails_the_command_as_it_does_one_at_a_time()
    {
        var sequential = await FailingAsync("--parallel", "1");
        var parallel = await FailingAsync();

        Assert.Equal(sequential.ToString(), parallel.ToString());
        Assert.Equal(1, parallel.ExitCode);
        Assert.StartsWith("bb: ", parallel.Stderr, StringComparison.Ordinal);
        Assert.Single(parallel.Stderr.TrimEnd('\n').Split('\n'));
        using var printed = JsonDocument.Parse(parallel.Stdout);
        Assert.Equal(40, printed.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Parallel_below_one_is_a_usage_error()
    {
        // Nothing listens on port 9: a request sent first would fail with exit 1 instead.
        var result = await bb.RunAsync("repos", "list", "big", "--paginate", "--parallel", "0", "--api-url", "http://127.0.0.1:9");

        Assert.Equal("bb: --parallel must be 1 or more", CliAssert.OneErrorLine(result, 2));
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Slurp_runs_the_query_over_the_whole_list()
    {
        var counted = await bb.RunAsync("repos", "list", "big", "--slurp", "--query", "length(@)");
        var perItem = await bb.RunAsync("repos", "list", "big", "--paginate", "--query", "length(@)");

        Assert.True(counted.ExitCode == 0, counted.ToString());
        Assert.Equal("250\n", counted.Stdout);
        Assert.True(perItem.ExitCode == 0, perItem.ToString());
        Assert.NotEqual("250\n", perItem.Stdout);
    }

    [Fact]
    public async Task Slurp_without_a_query_prints_the_one_array()
    {
        var slurped = await bb.RunAsync("repos", "list", "big", "--slurp");
        var streamed = await bb.RunAsync("repos", "list", "big", "--paginate");

        Assert.True(slurped.ExitCode == 0, slurped.ToString());
        Assert.Equal(streamed.Stdout, slurped.Stdout);
        using var all = JsonDocument.Parse(slurped.Stdout);
        Assert.Equal(250, all.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_table_of_one_page_of_several_says_how_to_get_the_rest()
    {
        var onePage = await bb.RunAsync("repos", "list", "big", "--format", "table");
        var all = await bb.RunAsync("repos", "list", "big", "--format", "table", "--paginate");
        var whole = await bb.RunAsync("repos", "list", "alice", "--format", "table");

        Assert.True(onePage.ExitCode == 0, onePage.ToString());
        Assert.Equal("bb: showing 10 of 250; --paginate for all\n", onePage.Stderr);
        Assert.Equal(11, onePage.Stdout.TrimEnd('\n').Split('\n').Length);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal("", all.Stderr);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.Equal("", whole.Stderr);
    }

    /// <summary>Sets the latency hook (and optionally a slow or failing page), then lists <c>big</c> in pages of 10.</summary>
    private async Task<string> PagedAsync(int latencyMs, params string[] extra)
    {
        var hook = $"/__test/paging?latencyMs={latencyMs}";
        var args = new List<string> { "repos", "list", "big", "--pagelen", "10", "--paginate" };
        for (var i = 0; i < extra.Length; i++)
        {
            switch (extra[i])
            {
                case "--slow-page": hook += $"&slowPage={extra[++i]}&slowMs=1500"; break;
                case "--fail-page": hook += $"&failPage={extra[++i]}&failStatus=429"; break;
                default: args.Add(extra[i]); break;
            }
        }

        await provider.PostAsync(hook);
        var result = await bb.RunAsync([.. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    /// <summary>Lists <c>big</c> in pages of 10 while page 5 answers 404 once (not retried).</summary>
    private async Task<BbResult> FailingAsync(params string[] extra)
    {
        await provider.PostAsync("/__test/paging?latencyMs=20&failPage=5&failStatus=404");
        return await bb.RunAsync(["repos", "list", "big", "--pagelen", "10", "--paginate", .. extra]);
    }

    private sealed record Seen(string Target, int Page, int Concurrent, int Done);

    private async Task<List<Seen>> PagingRecordAsync()
    {
        using var document = JsonDocument.Parse(await provider.GetAsync("/__test/paging"));
        return document.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => new Seen(r.GetProperty("target").GetString()!, r.GetProperty("page").GetInt32(), r.GetProperty("concurrent").GetInt32(), r.GetProperty("done").GetInt32()))
            .Where(r => r.Target.StartsWith(Repositories, StringComparison.Ordinal))
            .ToList();
    }

    private async Task<List<string>> RepositoryTargetsAsync()
    {
        using var document = JsonDocument.Parse(await provider.GetAsync("/__test/requests"));
        return document.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => r.GetProperty("target").GetString()!)
            .Where(t => t.StartsWith(Repositories, StringComparison.Ordinal))
            .ToList();
    }

    private async Task DeleteAsync(string path)
    {
        using var http = new HttpClient();
        using var response = await http.DeleteAsync(new Uri(provider.BaseUri, path));
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>The larger page size is a request, not a demand: a server that refuses it is asked again as the user asked.</summary>
public sealed class PageSizeRefusedTests
{
    [Fact]
    public async Task A_server_that_refuses_pagelen_100_is_asked_again_without_it()
    {
        await using var server = new RawHttpServer((request, stream, _) => request.Target.Contains("pagelen=", StringComparison.Ordinal)
            ? RawHttpServer.WriteResponseAsync(stream, 400, """{"type":"error","error":{"message":"Invalid pagelen"}}""")
            : RawHttpServer.WriteResponseAsync(stream, 200, """{"pagelen":10,"values":[{"name":"main"}]}"""));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--paginate", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[{\"name\":\"main\"}]\n", result.Stdout);
        Assert.Equal(
            ["GET /2.0/repositories/ws/repo/refs/branches?pagelen=100", "GET /2.0/repositories/ws/repo/refs/branches"],
            server.Requests.Select(r => r.RequestLine));
    }
}
