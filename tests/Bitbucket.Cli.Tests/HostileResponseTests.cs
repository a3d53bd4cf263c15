using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 13, the response and time side: what a hostile server sends back (or how slowly) ends in
/// one <c>bb: …</c> line and exit 1 — never a wait past <c>--timeout</c>, never an unbounded read.
/// </summary>
public sealed class HostileResponseTests
{
    [Theory]
    [InlineData("45", "45")]
    [InlineData("86400", "86400")]
    [InlineData("99999999999999999999999", null)]
    public async Task A_retry_after_in_seconds_beyond_the_cap_stops_at_once(string retryAfter, string? seconds)
    {
        await using var server = RawHttpServer.Answering(429, """{"type":"error","error":{"message":"Rate limit for this resource has been exceeded"}}""", "application/json", ("Retry-After", retryAfter));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.StartsWith("bb: rate limited; retry after ", line, StringComparison.Ordinal);
        if (seconds is not null)
        {
            Assert.Equal($"bb: rate limited; retry after {seconds} s", line);
        }

        Assert.Single(server.Requests); // no attempt after the server asked for more than bb will wait
    }

    [Fact]
    public async Task A_retry_after_http_date_far_in_the_future_stops_at_once()
    {
        var date = DateTimeOffset.UtcNow.AddDays(2).ToString("r", CultureInfo.InvariantCulture);
        await using var server = RawHttpServer.Answering(429, "{}", "application/json", ("Retry-After", date));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/2.0/user", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.StartsWith("bb: rate limited; retry after ", line, StringComparison.Ordinal);
        var seconds = long.Parse(line["bb: rate limited; retry after ".Length..^" s".Length], CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 86400, 3 * 86400); // about two days, from the date
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_retry_after_within_the_cap_but_beyond_the_time_left_stops_at_once()
    {
        await using var server = RawHttpServer.Answering(429, "{}", "application/json", ("Retry-After", "20"));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--timeout", "5", "--api-url", server.Origin);

        Assert.Equal("bb: rate limited; retry after 20 s", CliAssert.OneErrorLine(result, 1));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_503_with_a_retry_after_beyond_the_cap_stops_at_once()
    {
        await using var server = RawHttpServer.Answering(503, "down for maintenance", "text/plain", ("Retry-After", "120"));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        Assert.Equal("bb: the server is unavailable (HTTP 503); retry after 120 s", CliAssert.OneErrorLine(result, 1));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_short_retry_after_is_waited_and_the_request_retried()
    {
        var count = 0;
        await using var server = new RawHttpServer((_, stream, _) => Interlocked.Increment(ref count) == 1
            ? RawHttpServer.WriteResponseAsync(stream, 429, "{}", "application/json", ("Retry-After", "1"))
            : RawHttpServer.WriteResponseAsync(stream, 200, """{"username":"alice"}"""));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("alice", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(string.Empty, result.Stderr); // stderr is not a terminal: no "retrying" line
    }

    [Theory]
    [InlineData("user", "get")]
    [InlineData("api", "/2.0/user")]
    [InlineData("branches", "list")]
    public async Task A_body_that_drips_a_byte_at_a_time_ends_at_the_timeout(string group, string command)
    {
        await using var server = new RawHttpServer((_, stream, _) => DripAsync(stream, "application/json", "{\"values\":[{\"name\":\""));
        using var bb = new BbProcess();
        string[] args = group == "branches" ? [group, command, "ws", "repo", "--paginate"] : [group, command];

        var result = await bb.RunAsync([.. args, "--timeout", "2", "--api-url", server.Origin], stdin: null, onStderrLine: null);

        Assert.Contains("timed out after 2 s", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_endpoint_that_drips_ends_login_at_its_timeout()
    {
        await using var server = new RawHttpServer((_, stream, _) => DripAsync(stream, "application/x-www-form-urlencoded", "oauth_token="));
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = "drip-secret";

        var result = await bb.RunAsync(
            ["auth", "login", "--host", "drip", "--api-url", server.Origin, "--flavor", "cloud", "--consumer-key", "k", "--no-browser", "--timeout", "3"],
            stdin: null,
            onStderrLine: null);

        Assert.Contains("timed out", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
        Assert.Contains("/request_token", Assert.Single(server.Requests).Target, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task A_compressed_body_is_decompressed(string encoding)
    {
        var body = Compress(encoding, Encoding.UTF8.GetBytes("""{"username":"alice","display_name":"Alice"}"""));
        await using var server = new RawHttpServer((_, stream, _) => WriteBytesAsync(stream, "application/json", body, encoding));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"username":"alice","display_name":"Alice"}""" + "\n", result.Stdout);
        Assert.Contains(encoding, Assert.Single(server.Requests).Header("Accept-Encoding"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip", "user", "get")]
    [InlineData("deflate", "api", "/2.0/user")]
    [InlineData("br", "user", "get")]
    public async Task A_decompression_bomb_is_refused_in_one_line(string encoding, string group, string command)
    {
        // 48 MiB of one letter in a JSON string: about a thousand times smaller on the wire.
        var json = new byte[48 << 20];
        json.AsSpan().Fill((byte)'a');
        "{\"a\":\""u8.CopyTo(json);
        "\"}"u8.CopyTo(json.AsSpan(json.Length - 2));
        var body = Compress(encoding, json);
        await using var server = new RawHttpServer((_, stream, _) => WriteBytesAsync(stream, "application/json", body, encoding));
        using var bb = new BbProcess();

        var result = await bb.RunAsync(group, command, "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("decompress", line, StringComparison.Ordinal);
        Assert.Contains(server.Origin, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "table")]
    [InlineData("--query", "username")]
    public async Task Invalid_utf8_in_a_response_that_bb_must_read_as_text_is_one_line_and_exit_1(string option, string? value)
    {
        byte[] body = [.. "{\"username\":\"al"u8, 0xC3, 0x28, 0xFF, .. "ice\",\"uuid\":\"{1}\"}"u8];
        await using var server = new RawHttpServer((_, stream, _) => WriteBytesAsync(stream, "application/json", body, null));
        using var bb = new BbProcess();
        string[] args = value is null ? ["user", "get", option] : ["user", "get", option, value];

        var result = await bb.RunAsync([.. args, "--api-url", server.Origin], stdin: null, onStderrLine: null);

        Assert.Equal("bb: the server's response is not valid UTF-8 text", CliAssert.OneErrorLine(result, 1));
    }

    [Fact]
    public async Task A_body_too_large_for_query_says_so_in_one_line()
    {
        var item = Encoding.ASCII.GetBytes("{\"name\":\"" + new string('x', 1000) + "\"},");
        var body = new MemoryStream();
        body.Write("["u8);
        while (body.Length < JsonQuery.MaxInputBytes + (1 << 20))
        {
            body.Write(item);
        }

        body.Write("{}]"u8);
        var bytes = body.ToArray();
        await using var server = new RawHttpServer((_, stream, _) => WriteBytesAsync(stream, "application/json", bytes, null));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/2.0/big", "--query", "[0].name", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("too large for --query", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task One_huge_json_string_streams_through_with_flat_memory()
    {
        // {"a":"xxx…"} with 192 MiB of x; the server pauses before the closing bytes so the test can
        // read bb's peak RSS while it is still running.
        const int Chunks = 192;
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)'x');
        var prefix = "{\"a\":\""u8.ToArray();
        var last = "\"}\n"u8.ToArray();
        long total = prefix.Length + ((long)chunk.Length * Chunks) + last.Length;
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawHttpServer(async (_, stream, _) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total.ToString(CultureInfo.InvariantCulture)}\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(prefix);
            for (var i = 0; i < Chunks; i++)
            {
                await stream.WriteAsync(chunk);
            }

            await stream.FlushAsync();
            paused.TrySetResult();
            await resume.Task;
            await stream.WriteAsync(last);
            await stream.FlushAsync();
        });
        using var bb = new BbProcess();
        using var process = bb.Start(["api", "/2.0/big", "--api-url", server.Origin]);
        var stderr = process.StandardError.ReadToEndAsync();
        long received = 0;
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref received, read);
            }
        });

        long peakRss;
        using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            try
            {
                await paused.Task.WaitAsync(guard.Token);
                while (Interlocked.Read(ref received) < total - last.Length - (16 << 20))
                {
                    await Task.Delay(50, guard.Token);
                }

                var status = File.ReadLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                peakRss = long.Parse(status["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            catch
            {
                process.Kill(entireProcessTree: true); // the test's own bound: never leave bb running
                throw;
            }
            finally
            {
                resume.TrySetResult();
            }

            try
            {
                await process.WaitForExitAsync(guard.Token);
                await reader.WaitAsync(guard.Token);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(total, received);
        Assert.True(peakRss < total / 2, $"bb's peak RSS was {peakRss >> 20} MiB for a {total >> 20} MiB string");
    }

    private static byte[] Compress(string encoding, byte[] data)
    {
        var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    private static async Task WriteBytesAsync(Stream stream, string contentType, byte[] body, string? encoding)
    {
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\n{(encoding is null ? string.Empty : $"Content-Encoding: {encoding}\r\n")}Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    /// <summary>Headers promising a large body, a start, then one byte every half second until bb hangs up.</summary>
    internal static async Task DripAsync(Stream stream, string contentType, string start)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n{start}"));
        await stream.FlushAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(4)); // the server's own bound
        try
        {
            while (!guard.IsCancellationRequested)
            {
                await Task.Delay(500, guard.Token);
                await stream.WriteAsync("x"u8.ToArray(), guard.Token);
                await stream.FlushAsync(guard.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
