using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Bitbucket.Cli.Tests;

/// <summary><c>bb proxy</c> with an HMAC-SHA1 login: form bodies signed, large bodies streamed both ways.</summary>
[Collection(ProviderCollection.Name)]
public sealed class CloudProxyTests(ProviderFixture provider, ITestOutputHelper output)
{
    [Fact]
    public async Task Form_bodies_and_queries_are_signed_with_hmac_sha1_and_verified_by_the_provider()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "local");
        using (var clear = new HttpClient())
        {
            (await clear.DeleteAsync(new Uri(provider.ApiUrl + "/__test/requests"))).EnsureSuccessStatusCode();
        }

        using var http = new HttpClient();
        using (var form = await http.PostAsync(
            new Uri(proxy.Url, "2.0/echo/form?from=proxy"),
            new FormUrlEncodedContent([new("title", "Hello world"), new("note", "a&b=c ü")])))
        {
            var body = await form.Content.ReadAsStringAsync();
            Assert.True(form.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Hello world", json.RootElement.GetProperty("form").GetProperty("title")[0].GetString());
            Assert.Equal("a&b=c ü", json.RootElement.GetProperty("form").GetProperty("note")[0].GetString());
        }

        using (var user = await http.GetAsync(new Uri(proxy.Url, "2.0/user?fields=username")))
        {
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            Assert.Contains("alice", await user.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // An API error is passed through as it is, status and body.
        using (var missing = await http.GetAsync(new Uri(proxy.Url, "2.0/repositories/alice/no-such-repo")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("no-such-repo", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var log = await DataCenterProxyTests.RequestLogAsync(provider.ApiUrl);
        Assert.Equal(3, log.Count);
        Assert.All(log, r =>
        {
            Assert.Equal(JsonValueKind.Null, r.GetProperty("oauth_error").ValueKind);
            Assert.Contains("HMAC-SHA1", DataCenterProxyTests.Header(r, "Authorization"), StringComparison.Ordinal);
        });
        // The form fields were part of what the provider verified.
        Assert.Contains("title%3DHello%2520world", log[0].GetProperty("oauth_base_string").GetString(), StringComparison.Ordinal);

        var (exitCode, _, _) = await proxy.InterruptAsync();
        Assert.Equal(130, exitCode);
    }

    [Fact]
    public async Task A_chunked_form_body_sent_after_100_continue_is_signed_and_the_connection_carries_the_next_request()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "local");

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var reader = new StreamReader(stream, Encoding.Latin1);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /{proxy.Secret}/2.0/echo/form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"), guard.Token);

        // As curl does: the body follows only once the proxy has said to continue.
        Assert.Equal("HTTP/1.1 100 Continue", await reader.ReadLineAsync(guard.Token));
        Assert.Equal("", await reader.ReadLineAsync(guard.Token));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("6\r\ntitle=\r\n5;ext=1\r\nchunk\r\n7\r\ned+body\r\n0\r\nX-Trailer: 1\r\n\r\n"), guard.Token);
        var (status, body) = await ReadResponseAsync(reader, guard.Token);
        Assert.True(status == "HTTP/1.1 200 OK", status + "\n" + body + "\n" + proxy.Stderr);
        Assert.Contains("\"chunked body\"", body, StringComparison.Ordinal);

        // Same connection, next request.
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /2.0/user HTTP/1.1\r\nHost: 127.0.0.1\r\nX-BB-Proxy-Secret: {proxy.Secret}\r\n\r\n"), guard.Token);
        var (userStatus, user) = await ReadResponseAsync(reader, guard.Token);
        Assert.Equal("HTTP/1.1 200 OK", userStatus);
        Assert.Contains("alice", user, StringComparison.Ordinal);

        Assert.Equal(130, (await proxy.InterruptAsync()).ExitCode);
    }

    [Fact]
    public async Task A_streamed_body_the_api_would_need_again_for_a_retry_is_a_502_not_a_second_send()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        await using var api = RawHttpServer.Answering(503, "{\"error\":{\"message\":\"busy\"}}", "application/json", ("Retry-After", "0"));
        bb.Environment["BB_API_URL"] = api.Origin;
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "local");

        using var http = new HttpClient();
        using var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("{\"name\":\"x\"}")));
        content.Headers.ContentType = new("application/json");
        using var response = await http.PutAsync(new Uri(proxy.Url, "2.0/thing"), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("bb proxy: ", body, StringComparison.Ordinal);
        Assert.Contains("cannot be sent twice", body, StringComparison.Ordinal);
        Assert.Single(api.Requests);
        Assert.Equal("{\"name\":\"x\"}", api.Requests.Single().BodyText);
        Assert.Equal(130, (await proxy.InterruptAsync()).ExitCode);
    }

    /// <summary>Reads one response with a Content-Length or chunked body from <paramref name="reader"/>.</summary>
    private static async Task<(string Status, string Body)> ReadResponseAsync(StreamReader reader, CancellationToken ct)
    {
        var status = await reader.ReadLineAsync(ct) ?? "";
        long? length = null;
        var chunked = false;
        while (await reader.ReadLineAsync(ct) is { Length: > 0 } line)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }

            chunked |= line.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
        }

        var body = new StringBuilder();
        if (chunked)
        {
            while (int.Parse((await reader.ReadLineAsync(ct))!, NumberStyles.HexNumber, CultureInfo.InvariantCulture) is var size and > 0)
            {
                var chunk = new char[size];
                await reader.ReadBlockAsync(chunk, ct);
                body.Append(chunk);
                await reader.ReadLineAsync(ct);
            }

            await reader.ReadLineAsync(ct);
        }
        else if (length is { } n)
        {
            var all = new char[n];
            await reader.ReadBlockAsync(all, ct);
            body.Append(all);
        }

        return (status, body.ToString());
    }

    [Fact]
    public async Task A_64_MiB_body_streams_both_ways_through_bounded_memory_and_is_signed()
    {
        const int Blocks = 64;
        var block = new byte[1 << 20];
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (byte)((i * 31) % 251);
        }

        long total = (long)block.Length * Blocks;
        var expected = Sha256(block, Blocks);

        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var (_, tokenSecret) = ProviderLogin.StoredToken(bb);

        // The API for this run: a raw server that checks bb's signature as the provider would, hashes the
        // upload and answers with an equally large body.
        var origin = "";
        await using var api = new RawHttpServer(async (request, stream, _) =>
        {
            var verified = Verify(request, origin, tokenSecret);
            var received = SHA256.HashData(request.Body);
            var length = request.Target == "/upload" ? total : 2;
            var head = $"HTTP/1.1 {(verified ? 200 : 401)} X\r\nContent-Type: application/octet-stream\r\nX-Received-Length: {request.Body.Length}\r\n"
                + $"X-Received-Sha256: {Convert.ToHexString(received)}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            if (request.Target != "/upload")
            {
                await stream.WriteAsync("ok"u8.ToArray());
                return;
            }

            for (var i = 0; i < Blocks; i++)
            {
                await stream.WriteAsync(block);
            }
        });
        origin = api.Origin;
        bb.Environment["BB_API_URL"] = api.Origin;
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "local");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        using (var warm = await http.GetAsync(new Uri(proxy.Url, "warm")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var baseline = PeakRssBytes(proxy.ProcessId);
        using var content = new StreamContent(new RepeatStream(block, Blocks));
        content.Headers.ContentLength = total;
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await http.PutAsync(new Uri(proxy.Url, "upload"), content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, proxy.Stderr);
        Assert.Equal(total.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Received-Length").Single());
        Assert.Equal(Convert.ToHexString(expected), response.Headers.GetValues("X-Received-Sha256").Single());
        Assert.Equal(total, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.ConnectionClose); // the API's hop-by-hop "Connection: close" stays there

        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long downloaded = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            downloaded += read;
        }

        Assert.Equal(total, downloaded);
        Assert.Equal(expected, hash.GetHashAndReset());

        var peak = PeakRssBytes(proxy.ProcessId);
        output.WriteLine($"bb proxy peak RSS {baseline >> 20} MiB before, {peak >> 20} MiB after {total >> 20} MiB each way");
        Assert.True(peak - baseline < total / 2, $"bb's peak RSS grew by {(peak - baseline) >> 20} MiB for a {total >> 20} MiB body each way");

        var (exitCode, _, stderr) = await proxy.InterruptAsync();
        Assert.Equal(130, exitCode);
        Assert.Contains("bb proxy: PUT /upload 200 ", stderr, StringComparison.Ordinal);
        Assert.Equal(2, api.Requests.Count);
    }

    /// <summary>The server side of RFC 5849 §3.2 with bb's own step functions and the stored secrets.</summary>
    private static bool Verify(RawRequest request, string origin, string tokenSecret)
    {
        if (request.Header("Authorization") is not { } authorization)
        {
            return false;
        }

        var pairs = OAuthRequestSigner.ParseAuthorizationHeader(authorization);
        var signature = pairs.Single(p => p.Key == "oauth_signature").Value;
        var protocol = pairs.Where(p => p.Key is not "realm" and not "oauth_signature").ToList();
        var uri = new Uri(origin + request.Target);
        var baseString = OAuthSignatureBase.BaseString(request.Method, uri, OAuthSignatureBase.CollectParameters(uri, protocol, null));
        return OAuthSignature.Verify(SignatureMethod.HmacSha1, baseString, signature, ProviderFixture.ConsumerSecret, tokenSecret, null);
    }

    private static byte[] Sha256(byte[] block, int count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < count; i++)
        {
            hash.AppendData(block);
        }

        return hash.GetHashAndReset();
    }

    private static long PeakRssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A non-seekable stream of <paramref name="count"/> copies of <paramref name="block"/>: nothing buffers it whole.</summary>
    private sealed class RepeatStream(byte[] block, int count) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int length)
        {
            var total = (long)block.Length * count;
            var n = (int)Math.Min(length, Math.Min(total - position, block.Length - (position % block.Length)));
            if (n <= 0)
            {
                return 0;
            }

            Array.Copy(block, position % block.Length, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int length) => throw new NotSupportedException();
    }
}
