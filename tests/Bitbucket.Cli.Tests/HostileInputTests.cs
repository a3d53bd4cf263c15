using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 13, the input side: what a user (or a script fed hostile data) types never changes which
/// endpoint is called, never smuggles a header, and never reaches the wire when it is refused.
/// Each run has environment credentials, so the refusal is bb's and not "not logged in".
/// </summary>
public sealed class HostileInputTests
{
    private static BbProcess WithCredentials()
    {
        var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_KEY"] = "key";
        bb.Environment["BB_CONSUMER_SECRET"] = "consumer-secret";
        bb.Environment["BB_ACCESS_TOKEN"] = "token";
        bb.Environment["BB_ACCESS_TOKEN_SECRET"] = "token-secret";
        return bb;
    }

    [Theory]
    [InlineData("branches", "delete", "ws", "repo", "../../pullrequests/42")]
    [InlineData("branches", "get", "ws", "repo", "feature/../../../../../user")]
    [InlineData("branches", "get", "ws", "repo", "a/./b")]
    [InlineData("repos", "delete", "ws", "..")]
    [InlineData("repos", "get", "ws", ".")]
    [InlineData("repos", "get", "..", "x")]
    [InlineData("commits", "diff", "ws", "repo", "../../../../user")]
    [InlineData("src", "get", "ws", "repo", "main", "../../../../../user")]
    [InlineData("repos", "get", "ws", "")]
    public async Task A_dot_segment_in_a_path_argument_is_refused_before_anything_is_sent(params string[] args)
    {
        await using var server = RawHttpServer.Answering(204, "");
        using var bb = WithCredentials();

        var result = await bb.RunAsync([.. args, "--api-url", server.Origin]);

        var line = CliAssert.OneErrorLine(result, 2);
        Assert.Contains("<", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("branches", "get", "feature/login", "/2.0/repositories/ws/repo/refs/branches/feature/login")]
    [InlineData("commits", "diff", "main..topic", "/2.0/repositories/ws/repo/diff/main..topic")]
    [InlineData("branches", "get", "...", "/2.0/repositories/ws/repo/refs/branches/...")]
    [InlineData("branches", "get", "%2e%2e", "/2.0/repositories/ws/repo/refs/branches/%252e%252e")]
    [InlineData("branches", "get", "v1.2/.hidden", "/2.0/repositories/ws/repo/refs/branches/v1.2/.hidden")]
    public async Task Dots_that_are_not_a_whole_segment_are_sent_as_they_are(string group, string command, string value, string target)
    {
        await using var server = RawHttpServer.Answering(200, "{}");
        using var bb = WithCredentials();

        var result = await bb.RunAsync(group, command, "ws", "repo", value, "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(target, Assert.Single(server.Requests).Target);
    }

    [Theory]
    [InlineData("X-A: v\r\nX-Injected: 1")]
    [InlineData("X-A: v\nX-Injected: 1")]
    [InlineData("X-A: v\rX-Injected: 1")]
    [InlineData("X-A: bell\u0007")]
    [InlineData("X-A: caf\u00e9")]
    [InlineData("X-A: \u202Eevil")]
    [InlineData("X A: spaced name")]
    [InlineData("X-A\r\nX-Injected: 1")]
    [InlineData("X(A): separators")]
    [InlineData("X-\u00c4: non-ASCII name")]
    public async Task A_header_that_could_be_smuggled_or_mangled_is_refused(string header)
    {
        await using var server = RawHttpServer.Answering(200, "{}");
        using var bb = WithCredentials();

        var result = await bb.RunAsync("api", "/2.0/user", "-H", header, "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 2);
        Assert.Contains("header", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_valid_header_with_a_tab_and_punctuation_is_sent_unchanged()
    {
        await using var server = RawHttpServer.Answering(200, "{}");
        using var bb = WithCredentials();

        var result = await bb.RunAsync("api", "/2.0/user", "-H", "X-Trace_1.a~b: a\tb; c=\"d\"", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("a\tb; c=\"d\"", request.Header("X-Trace_1.a~b"));
        Assert.Null(request.Header("X-Injected"));
    }

    [Theory]
    [InlineData("--input", "/dev/zero")]
    [InlineData("-f", "title=x", "-f", "source.branch.name=b", "-F", "description=@/dev/zero")]
    [InlineData("-f", "title=x", "-f", "source.branch.name=b", "-F", "undescribed=@/dev/zero")]
    [InlineData("--input", "/")]
    public async Task A_device_or_directory_where_a_file_is_expected_is_refused_without_reading_it(params string[] body)
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();

        var result = await bb.RunAsync(["prs", "create", "ws", "repo", "--api-url", server.Origin, .. body]);

        Assert.Contains("not a regular file", CliAssert.OneErrorLine(result, 2), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("--input", "{0}")]
    [InlineData("-f", "title=x", "-f", "source.branch.name=b", "-F", "description=@{0}")]
    [InlineData("-f", "title=x", "-f", "source.branch.name=b", "-F", "undescribed=@{0}")]
    public async Task A_300_MB_file_is_refused_with_its_size_limit_before_it_is_read(params string[] body)
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();
        var big = Path.Combine(bb.Home, "big.txt");
        using (var file = File.Create(big))
        {
            file.SetLength(300L * 1024 * 1024); // sparse: no 300 MB written to the test machine's disk
        }

        var result = await bb.RunAsync(["prs", "create", "ws", "repo", "--api-url", server.Origin, .. body.Select(b => string.Format(System.Globalization.CultureInfo.InvariantCulture, b, big))]);

        var line = CliAssert.OneErrorLine(result, 2);
        Assert.Contains($"'{big}' is larger than 32 MiB", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Endless_stdin_for_input_dash_is_cut_off_at_the_size_limit()
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();

        var result = await RunWithStdinAsync(bb, "/dev/zero", "api", "/2.0/things", "-X", "POST", "--input", "-", "--api-url", server.Origin);

        Assert.Contains("stdin is larger than 32 MiB", CliAssert.OneErrorLine(result, 2), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_small_file_and_a_pipe_are_still_read()
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();
        var file = Path.Combine(bb.Home, "body.json");
        await File.WriteAllTextAsync(file, """{"title":"from a file"}""");

        var fromFile = await bb.RunAsync("api", "/2.0/things", "-X", "POST", "--input", file, "--api-url", server.Origin);
        var fromPipe = await bb.RunAsync(["api", "/2.0/things", "-F", "text=@-", "--api-url", server.Origin], "piped ✓", onStderrLine: null);

        Assert.True(fromFile.ExitCode == 0 && fromPipe.ExitCode == 0, fromFile + "\n" + fromPipe);
        var requests = server.Requests.ToArray();
        Assert.Equal("""{"title":"from a file"}""", requests[0].BodyText);
        using var piped = JsonDocument.Parse(requests[1].Body);
        Assert.Equal("piped ✓", piped.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_field_key_nested_20000_deep_is_a_short_usage_error()
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();
        var key = string.Join('.', Enumerable.Repeat("a", 20_000));

        var result = await bb.RunAsync("api", "/2.0/things", "-f", key + "=x", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 2);
        Assert.Contains("nests 20000 levels deep; at most 32", line, StringComparison.Ordinal);
        Assert.True(line.Length < 200, line);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_field_key_32_deep_is_still_sent()
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();
        var key = string.Join('.', Enumerable.Repeat("a", 32));

        var result = await bb.RunAsync("api", "/2.0/things", "-f", key + "=x", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new string('{', 0) + string.Concat(Enumerable.Repeat("{\"a\":", 32)) + "\"x\"" + new string('}', 32), Assert.Single(server.Requests).BodyText);
    }

    [Theory]
    [InlineData("prs", "create", "-F", "close_source_branch=maybe", "boolean")]
    [InlineData("prs", "create", "-F", "close_source_branch=1", "boolean")]
    [InlineData("restrictions", "create", "-F", "value=many", "integer")]
    [InlineData("restrictions", "create", "-F", "value=1.5", "integer")]
    public async Task A_typed_field_must_match_the_type_the_spec_declares(string group, string command, string flag, string field, string type)
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();

        var result = await bb.RunAsync(
            group, command, "ws", "repo", "-f", "title=t", "-f", "source.branch.name=b", "-f", "kind=push", flag, field, "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 2);
        Assert.Contains($"for field {field[..field.IndexOf('=', StringComparison.Ordinal)]}: it is a{(type == "integer" ? "n" : "")} {type}", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Typed_fields_are_sent_as_the_spec_declares_them()
    {
        await using var server = RawHttpServer.Answering(201, "{}");
        using var bb = WithCredentials();

        var result = await bb.RunAsync(
            "prs", "create", "ws", "repo", "-F", "title=42", "-f", "source.branch.name=b", "-F", "close_source_branch=false", "-F", "extra=7", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("title").ValueKind);
        Assert.Equal("42", body.RootElement.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.False, body.RootElement.GetProperty("close_source_branch").ValueKind);
        Assert.Equal(7, body.RootElement.GetProperty("extra").GetInt32());
    }

    [Fact]
    public async Task Oauth_values_a_server_echoes_in_an_error_are_redacted()
    {
        const string Echo = """{"type":"error","error":{"message":"Bad request","detail":"oauth_token=tok-echoed-123&oauth_signature=sig%3Decho; \"oauth_token_secret\": \"ts-echoed-456\""}}""";
        await using var server = RawHttpServer.Answering(400, Echo);
        using var bb = WithCredentials();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("oauth_token=<redacted>", line, StringComparison.Ordinal);
        Assert.Contains("oauth_signature=<redacted>", line, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-echoed-123", line, StringComparison.Ordinal);
        Assert.DoesNotContain("sig%3Decho", line, StringComparison.Ordinal);
        Assert.DoesNotContain("ts-echoed-456", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Core_dumps_are_off_for_the_running_process()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/PID/limits is Linux's; macOS gets the same setrlimit call
        }

        using var bb = WithCredentials();
        using var process = StartRaw(bb, stdinFile: null, "api", "/2.0/things", "-X", "POST", "--input", "-", "--api-url", "http://127.0.0.1:9");
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            // bb waits on stdin, which stays open: poll its limits until the switch shows (or the guard ends the wait).
            string? coreLine = null;
            while (!guard.IsCancellationRequested && !process.HasExited)
            {
                coreLine = File.ReadLines($"/proc/{process.Id}/limits").FirstOrDefault(l => l.StartsWith("Max core file size", StringComparison.Ordinal));
                if (coreLine is not null && CoreLimits(coreLine) == ("0", "0"))
                {
                    break;
                }

                await Task.Delay(50, CancellationToken.None);
            }

            if (process.HasExited)
            {
                Assert.Fail("bb ended before its limits could be read: " + await process.StandardError.ReadToEndAsync(CancellationToken.None));
            }

            Assert.Equal(("0", "0"), CoreLimits(coreLine!));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static (string Soft, string Hard) CoreLimits(string line)
    {
        var parts = line["Max core file size".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (parts[0], parts[1]);
    }

    /// <summary>Runs bb (as <see cref="BbProcess"/> does) with stdin read from <paramref name="stdinFile"/> by the shell.</summary>
    private static async Task<BbResult> RunWithStdinAsync(BbProcess bb, string stdinFile, params string[] args)
    {
        using var process = StartRaw(bb, stdinFile, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bb {string.Join(' ', args)} did not finish");
        }

        return new BbResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// bb under <c>sh -c 'exec … &lt; FILE'</c> (same pid as bb, as env and dotnet exec too), with the
    /// isolated environment of <see cref="BbProcess"/>; stdin stays an open pipe when no file is given.
    /// </summary>
    private static Process StartRaw(BbProcess bb, string? stdinFile, params string[] args)
    {
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinFile is null,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(stdinFile is null ? "exec env --default-signal=INT dotnet \"$@\"" : "exec env --default-signal=INT dotnet \"$@\" < \"$STDIN_FOR_BB_TEST\"");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(BbProcess.BbDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("BB_", StringComparison.Ordinal) || k is "NO_COLOR" or "BROWSER" or "XDG_CONFIG_HOME").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["BB_CONFIG_DIR"] = bb.ConfigDir;
        start.Environment["HOME"] = bb.Home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in bb.Environment)
        {
            start.Environment[key] = value;
        }

        if (stdinFile is not null)
        {
            start.Environment["STDIN_FOR_BB_TEST"] = stdinFile;
        }

        return Process.Start(start)!;
    }
}
