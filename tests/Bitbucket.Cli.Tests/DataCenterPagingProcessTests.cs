using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// The built bb against the local provider in Data Center mode: <c>bb api</c> recognises
/// start/limit pages from the body and follows them with <c>--paginate</c>, <c>--limit</c> and <c>--jsonl</c>.
/// </summary>
/// <remarks>
/// Logged in once per class with today's <c>bb auth login</c>, every Data Center URL given by its flag
/// (RSA-SHA1 with the key pair the provider made at start-up), so the tests need nothing but bb and the provider.
/// </remarks>
public sealed class DataCenterPagingProcessTests(LoggedInDataCenterFixture dc) : IClassFixture<LoggedInDataCenterFixture>
{
    private const string Branches = "/rest/api/latest/projects/PROJ/repos/many/branches";

    [Fact]
    public async Task Api_paginate_returns_all_60_branches_across_3_pages_as_one_json_array()
    {
        var bb = await dc.LoggedInAsync();
        await dc.ClearRequestsAsync();

        var result = await bb.RunAsync("api", Branches, "--paginate", "--host", "dc");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var all = JsonDocument.Parse(result.Stdout);
        var names = all.RootElement.EnumerateArray().Select(b => b.GetProperty("displayId").GetString()).ToList();
        Assert.Equal(60, names.Count);
        Assert.Equal(60, names.Distinct().Count());
        Assert.Equal([Branches, Branches + "?start=25", Branches + "?start=50"], await dc.BranchRequestsAsync());
    }

    [Fact]
    public async Task Api_limit_30_stops_at_30_after_two_pages()
    {
        var bb = await dc.LoggedInAsync();
        await dc.ClearRequestsAsync();

        var result = await bb.RunAsync("api", Branches, "--limit", "30", "--host", "dc");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var some = JsonDocument.Parse(result.Stdout);
        Assert.Equal(30, some.RootElement.GetArrayLength());
        Assert.Equal([Branches, Branches + "?start=25"], await dc.BranchRequestsAsync());
    }

    [Fact]
    public async Task Api_paginate_jsonl_prints_one_branch_per_line_and_keeps_the_query_as_sent()
    {
        var bb = await dc.LoggedInAsync();
        await dc.ClearRequestsAsync();

        var result = await bb.RunAsync("api", Branches + "?limit=20&orderBy=ALPHABETICAL", "--paginate", "--jsonl", "--host", "dc");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(60, lines.Length);
        Assert.Equal(60, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("displayId").GetString()).Distinct().Count());
        Assert.Equal(
            [Branches + "?limit=20&orderBy=ALPHABETICAL", Branches + "?limit=20&orderBy=ALPHABETICAL&start=20", Branches + "?limit=20&orderBy=ALPHABETICAL&start=40"],
            await dc.BranchRequestsAsync());
    }

    [Fact]
    public async Task A_next_page_start_that_repeats_ends_with_one_line_exit_1_and_valid_json_so_far()
    {
        await using var server = RawHttpServer.Answering(200, """{"size":1,"limit":1,"isLastPage":false,"start":0,"nextPageStart":1,"values":[{"id":"refs/heads/main"}]}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", Branches, "--paginate", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Equal($"bb: the response from {Branches} has nextPageStart 1, which did not advance past start 1; stopped after the pages so far", line);
        using var fetched = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, fetched.RootElement.GetArrayLength());
        Assert.Equal([$"GET {Branches}", $"GET {Branches}?start=1"], server.Requests.Select(r => r.RequestLine));
    }

    [Fact]
    public async Task A_cloud_next_link_to_the_same_page_ends_with_one_line_exit_1_instead_of_looping()
    {
        string? origin = null;
        await using var server = new RawHttpServer((_, stream, _) =>
            RawHttpServer.WriteResponseAsync(stream, 200, $$"""{"pagelen":1,"values":[{"name":"main"}],"next":"{{origin}}/2.0/items?page=2"}"""));
        origin = server.Origin;
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/2.0/items", "--paginate", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Equal("bb: the response from /2.0/items has a 'next' link to a page already fetched, so paging did not advance; stopped after the pages so far", line);
        using var fetched = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, fetched.RootElement.GetArrayLength());
        Assert.Equal(2, server.Requests.Count);
    }
}

/// <summary>The local provider as Bitbucket Data Center (no context path), with a bb logged in to it as host <c>dc</c>.</summary>
public sealed class LoggedInDataCenterFixture : DataCenterProviderFixture
{
    private readonly SemaphoreSlim loginLock = new(1, 1);
    private BbProcess? bb;

    /// <summary>A bb whose host <c>dc</c> holds an access token for alice (logged in on first use, every OAuth URL given by its flag).</summary>
    public async Task<BbProcess> LoggedInAsync()
    {
        await loginLock.WaitAsync();
        try
        {
            if (bb is null)
            {
                var fresh = new BbProcess();
                var servlet = ApiUrl + "/plugins/servlet/oauth";
                var login = await ProviderLogin.LoginAsync(
                    fresh, ApiUrl, "dc", ConsumerKey, consumerSecret: null,
                    "--request-token-url", servlet + "/request-token",
                    "--authorize-url", servlet + "/authorize",
                    "--access-token-url", servlet + "/access-token",
                    "--signature-method", "RSA-SHA1",
                    "--rsa-key", KeyFile,
                    "--user-path", "/plugins/servlet/applinks/whoami");
                Assert.True(login.ExitCode == 0, login.ToString());
                bb = fresh;
            }

            return bb;
        }
        finally
        {
            loginLock.Release();
        }
    }

    /// <summary>The request targets (path and query as sent) of the branch list requests since the last clear.</summary>
    public async Task<string[]> BranchRequestsAsync()
        => [.. (await RequestTargetsAsync()).Where(t => t.Contains("/branches", StringComparison.Ordinal))];

    public override async Task DisposeAsync()
    {
        bb?.Dispose();
        loginLock.Dispose();
        await base.DisposeAsync();
    }
}
