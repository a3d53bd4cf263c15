using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Broken and hostile servers: whatever comes back — or does not — bb ends with one
/// <c>bb: …</c> line, the documented exit code and no stack trace, and it never sends credentials
/// to an origin they were not issued for.
/// </summary>
public sealed class HostileServerTests(ITestOutputHelper output)
{
    private const string BitbucketError404 = """{"type":"error","error":{"message":"Repository ws/nosuch not found","detail":"There is no repository with that name."}}""";

    private const string NginxBadGateway = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";

    [Fact]
    public async Task Non_json_body_with_a_json_content_type_is_one_line_and_exit_1()
    {
        await using var server = RawHttpServer.Answering(200, "Welcome to the captive portal! <a href=/login>log in</a>");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("not valid JSON", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout); // a small body is checked before any of it is printed
    }

    [Fact]
    public async Task Non_json_body_is_an_error_also_when_the_output_is_filtered()
    {
        await using var server = RawHttpServer.Answering(200, "Welcome to the captive portal!");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--query", "username", "--api-url", server.Origin);

        Assert.Contains("not valid JSON", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Truncated_json_is_one_line_and_exit_1()
    {
        await using var server = RawHttpServer.Answering(200, """{"username":"alice","display_name":"Al""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        Assert.Contains("not valid JSON", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Truncated_json_page_while_paginating_is_one_line_and_exit_1()
    {
        await using var server = RawHttpServer.Answering(200, """{"pagelen":10,"values":[{"name":"main"},{"na""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--paginate", "--api-url", server.Origin);

        Assert.Contains("not valid JSON", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nginx_502_html_page_is_summarised_in_one_line_after_the_retries()
    {
        await using var server = RawHttpServer.Answering(502, NginxBadGateway, "text/html");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.StartsWith("bb: HTTP 502 Bad Gateway", line, StringComparison.Ordinal);
        Assert.DoesNotContain("<", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal(4, server.Requests.Count); // the first attempt and three retries of an idempotent GET
    }

    [Fact]
    public async Task Status_500_without_a_body_is_one_line_and_exit_1()
    {
        await using var server = RawHttpServer.Answering(500, string.Empty, contentType: string.Empty);
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/x", "--api-url", server.Origin);

        Assert.Equal("bb: HTTP 500 Internal Server Error", CliAssert.OneErrorLine(result, 1));
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Status_401_with_bitbucket_error_json_exits_4_with_a_login_hint()
    {
        await using var server = RawHttpServer.Answering(401, """{"type":"error","error":{"message":"Access token expired.","detail":"Log in again."}}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 4);
        Assert.Contains("Access token expired.", line, StringComparison.Ordinal);
        Assert.Contains("bb auth login", line, StringComparison.Ordinal);
        Assert.Single(server.Requests); // 401 is not retried
    }

    [Fact]
    public async Task Status_403_with_bitbucket_error_json_exits_1_with_the_message()
    {
        await using var server = RawHttpServer.Answering(403, """{"type":"error","error":{"message":"You do not have access to this repository.","detail":"Ask an admin."}}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/x", "--api-url", server.Origin);

        Assert.Equal("bb: You do not have access to this repository.: Ask an admin. (HTTP 403)", CliAssert.OneErrorLine(result, 1));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Status_404_with_bitbucket_error_json_exits_1_with_message_and_detail()
    {
        await using var server = RawHttpServer.Answering(404, BitbucketError404);
        using var bb = new BbProcess();

        var result = await bb.RunAsync("repos", "get", "ws", "nosuch", "--api-url", server.Origin);

        Assert.Equal("bb: Repository ws/nosuch not found: There is no repository with that name. (HTTP 404)", CliAssert.OneErrorLine(result, 1));
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Connection_refused_is_one_line_naming_the_origin_and_exit_1()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", $"http://127.0.0.1:{port}");

        Assert.Equal($"bb: cannot connect to http://127.0.0.1:{port}: connection refused", CliAssert.OneErrorLine(result, 1));
    }

    [Fact]
    public async Task Connection_reset_in_the_middle_of_the_body_is_one_line_and_exit_1()
    {
        await using var server = new RawHttpServer(async (_, stream, socket) =>
        {
            var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"u8.ToArray();
            await stream.WriteAsync(head);
            await stream.WriteAsync("{\"values\":"u8.ToArray());
            await stream.FlushAsync();
            await Task.Delay(200); // let the client take the head before the reset discards it
            socket.LingerState = new LingerOption(true, 0);
            socket.Close(); // RST
        });
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_closed_before_content_length_is_reached_is_one_line_and_exit_1()
    {
        await using var server = new RawHttpServer(async (_, stream, _) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"values\":"u8.ToArray());
            await stream.FlushAsync();
        });
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/x", "--api-url", server.Origin);

        Assert.Contains("closed the connection", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_instead_of_http_is_one_line_and_exit_1()
    {
        await using var server = new RawHttpServer(async (_, stream, _) =>
        {
            await stream.WriteAsync("SSH-2.0-OpenSSH_9.6\r\n\r\n"u8.ToArray());
            await stream.FlushAsync();
        });
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        CliAssert.OneErrorLine(result, 1);
    }

    [Fact]
    public async Task A_body_that_claims_gzip_but_is_not_is_one_line_and_exit_1()
    {
        await using var server = new RawHttpServer(async (_, stream, _) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789"u8.ToArray());
            await stream.FlushAsync();
        });
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--api-url", server.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("could not be decompressed", line, StringComparison.Ordinal);
        Assert.Contains(server.Origin, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_in_one_line_and_exit_1()
    {
        await using var server = new RawHttpServer(async (_, stream, _) =>
        {
            // Say nothing; return when bb gives up and closes the connection.
            try
            {
                _ = await stream.ReadAsync(new byte[1]);
            }
            catch (IOException)
            {
            }
        });
        using var bb = new BbProcess();

        var result = await bb.RunAsync("user", "get", "--timeout", "1", "--api-url", server.Origin);

        Assert.Contains("timed out", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_followed_without_the_authorization_header()
    {
        await using var other = RawHttpServer.Answering(200, """{"username":"moved"}""");
        await using var api = new RawHttpServer((request, stream, _) =>
            RawHttpServer.WriteResponseAsync(stream, 302, string.Empty, string.Empty, ("Location", other.Origin + "/elsewhere/user")));
        using var bb = Signed(new BbProcess());

        var result = await bb.RunAsync("user", "get", "--api-url", api.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"username":"moved"}""", result.Stdout.Trim());
        Assert.StartsWith("OAuth ", Assert.Single(api.Requests).Header("Authorization"), StringComparison.Ordinal);
        var moved = Assert.Single(other.Requests);
        Assert.Equal("GET /elsewhere/user", moved.RequestLine);
        Assert.Null(moved.Header("Authorization"));
        Assert.DoesNotContain(moved.Headers.Values, v => v.Contains("oauth_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_to_the_same_server_under_another_host_name_is_unsigned()
    {
        // Same socket, different origin (localhost vs 127.0.0.1): the origin, not the machine, is what counts.
        await using var api = new RawHttpServer((request, stream, _) => request.Target == "/2.0/user"
            ? RawHttpServer.WriteResponseAsync(stream, 307, string.Empty, string.Empty, ("Location", $"http://localhost:{new Uri(request.Header("Host") is { } h ? "http://" + h : "http://x").Port}/2.0/landing"))
            : RawHttpServer.WriteResponseAsync(stream, 200, """{"username":"landed"}"""));
        using var bb = Signed(new BbProcess());

        var result = await bb.RunAsync("user", "get", "--api-url", api.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = api.Requests.ToArray();
        Assert.Equal(["GET /2.0/user", "GET /2.0/landing"], requests.Select(r => r.RequestLine));
        Assert.NotNull(requests[0].Header("Authorization"));
        Assert.StartsWith("localhost:", requests[1].Header("Host"), StringComparison.Ordinal);
        Assert.Null(requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task A_same_origin_redirect_is_signed_afresh_for_its_new_url()
    {
        await using var api = new RawHttpServer((request, stream, _) => request.Target == "/2.0/user"
            ? RawHttpServer.WriteResponseAsync(stream, 301, string.Empty, string.Empty, ("Location", "/2.0/users/me?fields=username"))
            : RawHttpServer.WriteResponseAsync(stream, 200, """{"username":"me"}"""));
        using var bb = Signed(new BbProcess());

        var result = await bb.RunAsync("user", "get", "--api-url", api.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = api.Requests.ToArray();
        Assert.Equal(["GET /2.0/user", "GET /2.0/users/me?fields=username"], requests.Select(r => r.RequestLine));
        var first = OAuthParameters(requests[0]);
        var second = OAuthParameters(requests[1]);
        Assert.NotEqual(first["oauth_nonce"], second["oauth_nonce"]);
        Assert.True(VerifiesFor(requests[1], new Uri(api.Origin + requests[1].Target)), "the redirected request must carry a signature for its own URL");
        Assert.False(VerifiesFor(requests[1], new Uri(api.Origin + requests[0].Target)), "not the first URL's");
    }

    [Fact]
    public async Task A_next_link_to_another_origin_is_fetched_without_the_authorization_header()
    {
        await using var other = RawHttpServer.Answering(200, """{"values":[{"name":"b"}]}""");
        await using var api = new RawHttpServer((_, stream, _) =>
            RawHttpServer.WriteResponseAsync(stream, 200, $$"""{"values":[{"name":"a"}],"next":"{{other.Origin}}/page2?page=2"}"""));
        using var bb = Signed(new BbProcess());

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--paginate", "--api-url", api.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""[{"name":"a"},{"name":"b"}]""", result.Stdout.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.NotNull(Assert.Single(api.Requests).Header("Authorization"));
        Assert.Null(Assert.Single(other.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://[::1")]
    [InlineData("ftp://127.0.0.1/page2")]
    public async Task A_next_link_that_is_not_an_http_url_is_one_line_and_exit_1_after_the_pages_so_far(string next)
    {
        await using var api = RawHttpServer.Answering(200, $$"""{"values":[{"name":"a"}],"next":{{System.Text.Json.JsonSerializer.Serialize(next)}}}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--paginate", "--api-url", api.Origin);

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains("next", line, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", line, StringComparison.Ordinal);
        Assert.Equal("""[{"name":"a"}]""", result.Stdout.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task A_redirect_loop_ends_in_one_line_and_exit_1()
    {
        await using var api = new RawHttpServer((request, stream, _) =>
            RawHttpServer.WriteResponseAsync(stream, 302, string.Empty, string.Empty, ("Location", request.Target == "/a" ? "/b" : "/a")));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/a", "--api-url", api.Origin);

        Assert.Contains("302", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
        Assert.InRange(api.Requests.Count, 2, 11);
    }

    [Fact]
    public async Task A_redirect_to_a_file_url_is_not_followed()
    {
        await using var api = RawHttpServer.Answering(302, string.Empty, string.Empty, ("Location", "file:///etc/passwd"));
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/x", "--api-url", api.Origin);

        Assert.Contains("302", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
        Assert.DoesNotContain("root:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_very_large_response_is_streamed_through_with_flat_memory()
    {
        // ~256 MiB of valid JSON, sent in 1 MiB chunks; the server pauses before the last chunk so the
        // test can read bb's peak RSS while the process is still alive.
        const int Chunks = 256;
        var item = "{\"id\":123456,\"name\":\"" + new string('x', 90) + "\"},";
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(item, (1 << 20) / item.Length)));
        var prefix = "{\"pagelen\":1,\"values\":["u8.ToArray();
        var last = "{\"id\":0}]}\n"u8.ToArray();
        long total = prefix.Length + ((long)chunk.Length * Chunks) + last.Length;
        using var expectedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        expectedHash.AppendData(prefix);
        for (var i = 0; i < Chunks; i++)
        {
            expectedHash.AppendData(chunk);
        }

        expectedHash.AppendData(last);
        var expected = expectedHash.GetHashAndReset();

        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawHttpServer(async (_, stream, _) =>
        {
            var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total.ToString(CultureInfo.InvariantCulture)}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
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
        using var actualHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
            {
                actualHash.AppendData(buffer, 0, read);
                Interlocked.Add(ref received, read);
            }
        });

        long peakRss;
        using (var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            try
            {
                await paused.Task.WaitAsync(guard.Token);

                // Wait (bounded) until bb has passed on nearly everything sent so far: its peak then covers the whole body.
                while (Interlocked.Read(ref received) < total - last.Length - (16 << 20))
                {
                    await Task.Delay(50, guard.Token);
                }

                peakRss = PeakRssBytes(process.Id);
            }
            finally
            {
                resume.TrySetResult();
            }

            await process.WaitForExitAsync(guard.Token);
            await reader.WaitAsync(guard.Token);
        }

        var errors = await stderr;
        Assert.True(process.ExitCode == 0, errors);
        Assert.Equal(total, received);
        Assert.Equal(expected, actualHash.GetHashAndReset());
        output.WriteLine($"{total >> 20} MiB streamed; bb's peak RSS {peakRss >> 20} MiB");
        Assert.True(peakRss < total / 2, $"bb's peak RSS was {peakRss >> 20} MiB for a {total >> 20} MiB body");
    }

    /// <summary>Stored-login-free signing: the environment's consumer and token.</summary>
    private static BbProcess Signed(BbProcess bb)
    {
        bb.Environment["BB_CONSUMER_KEY"] = "hostile-key";
        bb.Environment["BB_CONSUMER_SECRET"] = "hostile-consumer-secret";
        bb.Environment["BB_ACCESS_TOKEN"] = "hostile-token";
        bb.Environment["BB_ACCESS_TOKEN_SECRET"] = "hostile-token-secret";
        return bb;
    }

    private static Dictionary<string, string> OAuthParameters(RawRequest request) =>
        OAuthRequestSigner.ParseAuthorizationHeader(request.Header("Authorization") ?? throw new Xunit.Sdk.XunitException($"{request.RequestLine} was not signed"))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static bool VerifiesFor(RawRequest request, Uri uri)
    {
        var parameters = OAuthParameters(request);
        var baseString = OAuthSignatureBase.BaseString(request.Method, uri, OAuthSignatureBase.CollectParameters(uri, parameters, formBody: null));
        return OAuthSignature.Verify(SignatureMethod.HmacSha1, baseString, parameters["oauth_signature"], "hostile-consumer-secret", "hostile-token-secret", publicKey: null);
    }

    /// <summary>VmHWM of <paramref name="pid"/>: the peak resident set size so far.</summary>
    private static long PeakRssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib * 1024;
    }
}
