using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// <c>bb proxy</c> against the local provider: every forwarded request is signed by bb and verified by
/// the provider; requests without the run's secret or for another origin never leave; Ctrl+C stops it.
/// </summary>
[Collection(DataCenterProviderCollection.Name)]
public sealed class DataCenterProxyTests(DataCenterProviderFixture provider)
{
    [Fact]
    public async Task Concurrent_clients_are_each_signed_with_rsa_sha1_and_verified_by_the_provider_and_ctrl_c_stops_with_130()
    {
        using var bb = new BbProcess();
        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--rsa-key", provider.KeyFile);
        Assert.True(login.ExitCode == 0, login.ToString());
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "work");
        await provider.ClearRequestsAsync();

        const int Clients = 4;
        const int PerClient = 6;
        var statuses = await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient();
            var results = new List<HttpStatusCode>();
            for (var i = 0; i < PerClient; i++)
            {
                // Half use the secret as the first path segment, half the header; some bring their own
                // Authorization, which must never reach the API.
                using var request = i % 2 == 0
                    ? new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Url, $"rest/api/1.0/projects?limit={c + 1}&start={i}"))
                    : new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Root, $"rest/api/1.0/projects?limit={c + 1}&start={i}"));
                if (i % 2 == 1)
                {
                    request.Headers.Add("X-BB-Proxy-Secret", proxy.Secret);
                }

                if (i % 3 == 0)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Basic ZXZlOmV2ZQ==");
                    request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic ZXZlOmV2ZQ==");
                    request.Headers.TryAddWithoutValidation("Connection", "X-Hop");
                    request.Headers.TryAddWithoutValidation("X-Hop", "1");
                }

                request.Headers.TryAddWithoutValidation("X-Client", $"{c}-{i}");

                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, body);
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                using var json = JsonDocument.Parse(body);
                Assert.True(json.RootElement.TryGetProperty("values", out _), body);
                results.Add(response.StatusCode);
            }

            return results;
        })));
        Assert.Equal(Clients * PerClient, statuses.SelectMany(s => s).Count(s => s == HttpStatusCode.OK));

        var log = await RequestLogAsync(provider.Origin);
        var forwarded = log.Where(r => r.GetProperty("target").GetString()!.StartsWith("/rest/api/1.0/projects?", StringComparison.Ordinal)).ToList();
        Assert.Equal(Clients * PerClient, forwarded.Count);
        Assert.All(forwarded, r =>
        {
            Assert.Equal(200, r.GetProperty("status").GetInt32());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("oauth_error").ValueKind);
            var authorization = Header(r, "Authorization");
            Assert.StartsWith("OAuth ", authorization, StringComparison.Ordinal);
            Assert.Contains("RSA-SHA1", authorization, StringComparison.Ordinal);
            Assert.Null(Header(r, "X-BB-Proxy-Secret"));
            Assert.Null(Header(r, "Proxy-Authorization"));
            Assert.Null(Header(r, "X-Hop"));
            Assert.NotNull(Header(r, "X-Client")); // end-to-end headers do go through
        });
        Assert.DoesNotContain(forwarded, r => r.GetProperty("target").GetString()!.Contains(proxy.Secret, StringComparison.Ordinal));

        var (exitCode, _, stderr) = await proxy.InterruptAsync();
        Assert.Equal(130, exitCode);
        Assert.EndsWith("bb proxy: stopped", stderr.TrimEnd(), StringComparison.Ordinal);
        // One line per request, with the query redacted and the secret nowhere.
        Assert.Equal(Clients * PerClient, stderr.Split('\n').Count(l => l.StartsWith("bb proxy: GET /rest/api/1.0/projects?… 200 ", StringComparison.Ordinal)));
        Assert.DoesNotContain(proxy.Secret, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_the_secret_or_for_another_origin_get_403_and_are_not_forwarded()
    {
        using var bb = new BbProcess();
        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--rsa-key", provider.KeyFile);
        Assert.True(login.ExitCode == 0, login.ToString());
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "work");
        await provider.ClearRequestsAsync();

        using var http = new HttpClient();
        using (var missing = await http.GetAsync(new Uri(proxy.Root, "rest/api/1.0/projects")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
            Assert.Contains("proxy secret", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Root, "0123456789/rest/api/1.0/projects")))
        {
            wrong.Headers.Add("X-BB-Proxy-Secret", proxy.Secret + "x");
            using var response = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // An HTTP proxy request (absolute form) for another origin, with the right secret: still refused.
        var foreign = await RawAsync(proxy.Port, $"GET http://192.0.2.1/rest/api/1.0/projects HTTP/1.1\r\nHost: 192.0.2.1\r\nX-BB-Proxy-Secret: {proxy.Secret}\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403 ", foreign, StringComparison.Ordinal);
        Assert.Contains($"\r\n\r\nbb proxy: this proxy forwards only to {provider.Origin} (as paths under its own URL); refusing a request for http://192.0.2.1:80\n", foreign, StringComparison.Ordinal);

        var tunnel = await RawAsync(proxy.Port, $"CONNECT {new Uri(provider.Origin).Authority} HTTP/1.1\r\nHost: x\r\nX-BB-Proxy-Secret: {proxy.Secret}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403 ", tunnel, StringComparison.Ordinal);

        // The absolute form naming the proxy itself is served like a path.
        var own = await RawAsync(proxy.Port, $"GET http://127.0.0.1:{proxy.Port}/{proxy.Secret}/rest/api/1.0/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", own, StringComparison.Ordinal);

        var log = await RequestLogAsync(provider.Origin);
        Assert.Single(log);
        Assert.Equal("/rest/api/1.0/projects", log[0].GetProperty("target").GetString());

        // Refused requests (missing, wrong, foreign) are logged without their path (it may hold a mistyped secret).
        var (exitCode, _, stderr) = await proxy.InterruptAsync();
        Assert.Equal(130, exitCode);
        Assert.Equal(3, stderr.Split('\n').Count(l => l.StartsWith("bb proxy: GET - 403 ", StringComparison.Ordinal)));
        Assert.DoesNotContain("0123456789", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_stops_it_cleanly_with_exit_0_even_when_started_with_sigint_ignored()
    {
        // As a script's background job (bb proxy &) starts: SIGINT ignored, so kill (SIGTERM) is how it ends.
        using var bb = new BbProcess { StartWithSigintIgnored = true };
        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--rsa-key", provider.KeyFile);
        Assert.True(login.ExitCode == 0, login.ToString());
        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "work");
        using (var http = new HttpClient())
        using (var response = await http.GetAsync(new Uri(proxy.Url, "rest/api/1.0/projects")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var (exitCode, _, stderr) = await proxy.SignalAsync("-TERM");
        Assert.Equal(0, exitCode);
        Assert.EndsWith("bb proxy: stopped", stderr.TrimEnd(), StringComparison.Ordinal);
    }

    internal static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, guard.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    internal static async Task<List<JsonElement>> RequestLogAsync(string origin)
    {
        using var http = new HttpClient();
        var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(origin + "/__test/requests")));
        return [.. document.RootElement.GetProperty("requests").EnumerateArray()];
    }

    internal static string? Header(JsonElement request, string name) =>
        request.GetProperty("headers").EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value
            ? value.GetString()
            : null;
}

/// <summary>A Data Center under a context path: the proxy's root is the API URL, context path included.</summary>
public sealed class ContextPathProxyTests(ContextPathDataCenterProviderFixture provider) : IClassFixture<ContextPathDataCenterProviderFixture>
{
    [Fact]
    public async Task The_proxy_root_and_auth_sign_both_reach_the_api_under_its_context_path()
    {
        using var bb = new BbProcess();
        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--rsa-key", provider.KeyFile);
        Assert.True(login.ExitCode == 0, login.ToString());

        var url = provider.ApiUrl + "/rest/api/1.0/projects";
        var header = await AuthSignTests.SignAsync(bb, "GET", url);
        Assert.Equal(HttpStatusCode.OK, await AuthSignTests.SendAsync(HttpMethod.Get, url, header));

        await using var proxy = await RunningProxy.StartAsync(bb, "--host", "work");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(proxy.Url, "rest/api/1.0/projects"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var targets = await provider.RequestTargetsAsync();
        Assert.Equal("/bitbucket/rest/api/1.0/projects", targets[^1]);
        Assert.Equal(130, (await proxy.InterruptAsync()).ExitCode);
    }
}
