using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Tests;

public sealed class ServerTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("localhost")]
    [InlineData("192.168.1.10")]
    public async Task Binding_anything_but_127_0_0_1_is_refused(string address)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            LocalProviderServer.StartAsync(new LocalProviderOptions { BindAddress = address }, CancellationToken.None));
        Assert.Contains($"refusing to bind {address}", e.Message);
    }

    [Fact]
    public async Task Starts_on_a_free_loopback_port_and_stops()
    {
        var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions(), CancellationToken.None);
        Assert.Equal("127.0.0.1", provider.BaseUri.Host);
        Assert.NotEqual(0, provider.Port);
        using var http = new HttpClient { BaseAddress = provider.BaseUri };
        using (var response = await http.GetAsync("/2.0/user"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await provider.DisposeAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/2.0/user"));
    }

    [Fact]
    public async Task Starts_on_the_given_port()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions { Port = port }, CancellationToken.None);
        Assert.Equal(port, provider.Port);
    }

    [Fact]
    public async Task Test_hooks_are_absent_unless_enabled()
    {
        await using var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions(), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = provider.BaseUri };
        using var response = await http.GetAsync("/__test/requests");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Request_log_has_method_path_and_status_only()
    {
        var log = new StringWriter();
        await using (var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions { Log = TextWriter.Synchronized(log) }, CancellationToken.None))
        {
            using var client = new TestClient(provider.BaseUri);
            var alice = await client.LoginAsync(TestClient.DemoConsumer);
            using var response = await client.GetAsync("/2.0/repositories/alice?q=name%20~%20%22secret%22", alice);
        }

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("GET /2.0/repositories/alice 200", lines);
        Assert.Contains("POST /api/1.0/oauth/request_token 200", lines);
        Assert.DoesNotContain("oauth", log.ToString().Replace("/oauth/", "/", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("bb-local-secret", log.ToString());
        Assert.DoesNotContain("secret", log.ToString());
    }

    [Fact]
    public async Task Fail_next_fails_the_next_protected_requests_then_recovers()
    {
        await using var provider = await TestProvider.StartAsync();
        using var client = new TestClient(provider.BaseUri);
        var alice = await client.LoginAsync(TestClient.DemoConsumer);

        using (var arm = await client.Http.PostAsync("/__test/fail-next?status=429&retryAfter=1&count=2", null))
        {
            Assert.Equal(HttpStatusCode.OK, arm.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.GetAsync("/2.0/user", alice);
            Assert.Equal(HttpStatusCode.TooManyRequests, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), failed.Headers.RetryAfter?.Delta);
            Assert.Equal("Rate limit for this resource has been exceeded", (await TestProvider.ErrorAsync(failed)).Message);
        }

        using var ok = await client.GetAsync("/2.0/user", alice);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Fail_next_counts_only_verified_requests_so_a_resent_signature_is_a_replay()
    {
        await using var provider = await TestProvider.StartAsync();
        using var client = new TestClient(provider.BaseUri);
        var alice = await client.LoginAsync(TestClient.DemoConsumer);
        using (var arm = await client.Http.PostAsync("/__test/fail-next?status=503", null))
        {
            Assert.Equal(HttpStatusCode.OK, arm.StatusCode);
        }

        var header = client.Sign(HttpMethod.Get, "/2.0/user", alice);
        using (var failed = await client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user", header))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        // A retry must be signed again (new nonce): resending the same header is refused.
        using var resent = await client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user", header);
        Assert.Equal(HttpStatusCode.Unauthorized, resent.StatusCode);
        using var resigned = await client.GetAsync("/2.0/user", alice);
        Assert.Equal(HttpStatusCode.OK, resigned.StatusCode);
    }

    [Fact]
    public async Task Fail_next_validates_its_parameters()
    {
        await using var provider = await TestProvider.StartAsync();
        using var http = new HttpClient { BaseAddress = provider.BaseUri };
        using var response = await http.PostAsync("/__test/fail-next?status=200", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task User_and_pages_options_shape_the_seed()
    {
        await using var provider = await TestProvider.StartAsync(o => o with { User = "carol", Pages = 1 });
        using var client = new TestClient(provider.BaseUri);
        var carol = await client.LoginAsync(TestClient.DemoConsumer);
        Assert.Equal("carol", (await client.GetJsonAsync("/2.0/user", carol))["username"]!.GetValue<string>());
        Assert.Equal(50, (await client.GetJsonAsync("/2.0/repositories/carol/many/refs/branches", carol))["size"]!.GetValue<int>());
        Assert.Equal(50, (await client.GetJsonAsync("/2.0/repositories/big", carol))["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Seed_file_adds_consumers_workspaces_and_repositories()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """
                {
                  "consumers": [ { "key": "seeded-app", "secret": "seeded-secret", "name": "Seeded" } ],
                  "workspaces": [ { "slug": "acme", "name": "Acme Corp" } ],
                  "repositories": [
                    { "workspace": "acme", "slug": "widgets", "language": "rust", "role": "admin", "branches": ["main", "next"] }
                  ]
                }

                """);
            await using var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions { SeedFile = path }, CancellationToken.None);
            using var client = new TestClient(provider.BaseUri);
            var user = await client.LoginAsync(new("seeded-app", "seeded-secret", null, null, Cli.Core.OAuth.SignatureMethod.HmacSha1));
            var repo = await client.GetJsonAsync("/2.0/repositories/acme/widgets", user);
            Assert.Equal("Acme Corp", repo["workspace"]!["name"]!.GetValue<string>());
            var branches = await client.GetJsonAsync("/2.0/repositories/acme/widgets/refs/branches", user);
            Assert.Equal(["main", "next"], branches["values"]!.AsArray().Select(b => b!["name"]!.GetValue<string>()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bad_seed_file_is_an_invalid_data_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{ "repositories": [ { "slug": "x" } ] }""");
            var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
                LocalProviderServer.StartAsync(new LocalProviderOptions { SeedFile = path }, CancellationToken.None));
            Assert.Contains("\"workspace\"", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Links_follow_the_host_header_the_client_used()
    {
        await using var provider = await TestProvider.StartAsync();
        using var loopback = new TestClient(provider.BaseUri);
        var alice = await loopback.LoginAsync(TestClient.DemoConsumer);

        // Address the provider as "localhost" (connecting to 127.0.0.1: localhost may resolve to ::1 first).
        using var localhost = new TestClient(new Uri($"http://localhost:{provider.Port}"));
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = localhost.BaseUri };
        const string path = "/2.0/repositories/alice/many/refs/branches";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", localhost.Sign(HttpMethod.Get, path, alice));
        using var response = await http.SendAsync(request);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal($"http://localhost:{provider.Port}{path}?page=2", page["next"]!.GetValue<string>());
    }
}
