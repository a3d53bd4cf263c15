using System.Diagnostics;
using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>Pagination, output modes, retries and signed form bodies against the local provider.</summary>
[Collection(ProviderCollection.Name)]
public sealed class ListAndOutputTests(ProviderFixture provider) : IAsyncLifetime
{
    private readonly BbProcess bb = new();

    public async Task InitializeAsync() => Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);

    public Task DisposeAsync()
    {
        bb.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Paginate_follows_next_over_three_pages_into_one_json_array()
    {
        var result = await bb.RunAsync("branches", "list", "alice", "many", "--paginate", "--verbose");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var all = JsonDocument.Parse(result.Stdout);
        Assert.Equal(250, all.RootElement.GetArrayLength());
        Assert.Equal(250, all.RootElement.EnumerateArray().Select(b => b.GetProperty("name").GetString()).Distinct().Count());
        Assert.True(CountRequests(result.Stderr, "/refs/branches") >= 3, result.Stderr);
    }

    [Fact]
    public async Task Limit_stops_after_n_items_and_fetches_no_more_pages_than_needed()
    {
        var result = await bb.RunAsync("branches", "list", "alice", "many", "--limit", "15", "--verbose");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var some = JsonDocument.Parse(result.Stdout);
        Assert.Equal(15, some.RootElement.GetArrayLength());
        // The one page asks for the 15 it needs (issue 17).
        Assert.Equal(1, CountRequests(result.Stderr, "/refs/branches"));
        Assert.Contains("/refs/branches?pagelen=15 ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_paginate_follows_next_links_too()
    {
        var result = await bb.RunAsync("api", "/2.0/repositories/alice/many/refs/branches", "--paginate", "--jsonl");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(250, result.Stdout.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task Jsonl_prints_one_value_per_line()
    {
        var result = await bb.RunAsync("branches", "list", "alice", "many", "--limit", "120", "--jsonl");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(120, lines.Length);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
    }

    [Fact]
    public async Task Table_format_uses_the_specs_default_columns()
    {
        var result = await bb.RunAsync("branches", "list", "alice", "demo", "--format", "table");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^NAME\s+TARGET\.HASH\s+TARGET\.DATE$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("feature/login ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_filters_with_jmespath()
    {
        var result = await bb.RunAsync("repos", "get", "alice", "demo", "--query", "mainbranch.name");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("main\n", result.Stdout);
    }

    [Fact]
    public async Task Q_filter_with_spaces_tilde_and_quotes_reaches_the_server_intact()
    {
        var result = await bb.RunAsync("repos", "list", "alice", "--q", "name ~ \"dem\"", "--query", "values[].name");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("""["demo"]""", result.Stdout.Trim());
    }

    [Fact]
    public async Task Piped_output_is_compact_and_uncoloured()
    {
        var result = await bb.RunAsync("repos", "get", "alice", "demo");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Single(result.Stdout.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("\u001b[", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Terminal_output_is_indented_and_coloured_unless_NO_COLOR(bool noColor)
    {
        // `script` gives bb a real pseudo-terminal as stdout.
        var command = $"{(noColor ? "NO_COLOR=1 " : string.Empty)}BB_CONFIG_DIR='{bb.ConfigDir}' dotnet '{BbProcess.BbDll}' repos get alice demo";
        var start = new ProcessStartInfo("script", ["-qec", command, "/dev/null"]) { RedirectStandardOutput = true, RedirectStandardInput = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("\n  \"", output.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\u001b[1;34m", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        // Colour is an SGR sequence (ESC [ … m); the terminal's own mode switches do not count.
        Assert.Equal(!noColor, System.Text.RegularExpressions.Regex.IsMatch(output, "\u001b\\[[0-9;]*m"));
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_re_signed_and_succeeds()
    {
        await provider.PostAsync("/__test/fail-next?status=429&retryAfter=1&count=1");

        var result = await bb.RunAsync("user", "get", "--verbose");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("< HTTP/1.1 429", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("< HTTP/1.1 200", result.Stderr, StringComparison.Ordinal);
        var nonces = System.Text.RegularExpressions.Regex.Matches(result.Stderr, "oauth_nonce=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, nonces.Count);
        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [Fact]
    public async Task A_form_post_is_signed_with_its_body_parameters()
    {
        var result = await bb.RunAsync("api", "/2.0/echo/form", "--form", "-f", "text=a b+c~*", "-f", "text=second", "-f", "empty=");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var echo = JsonDocument.Parse(result.Stdout);
        var form = echo.RootElement.GetProperty("form");
        Assert.Equal(["a b+c~*", "second"], form.GetProperty("text").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([""], form.GetProperty("empty").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Not_found_is_one_line_and_exit_1()
    {
        var result = await bb.RunAsync("repos", "get", "alice", "nosuch");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("bb: Repository alice/nosuch not found (HTTP 404)", result.Stderr.Trim());
    }

    private static int CountRequests(string verbose, string path) =>
        verbose.Split('\n').Count(l => l.StartsWith("> GET ", StringComparison.Ordinal) && l.Contains(path, StringComparison.Ordinal));
}
