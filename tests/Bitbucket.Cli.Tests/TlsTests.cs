using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Bitbucket.Cli.Tests.Support;
using Bitbucket.LocalProvider;
using Bitbucket.LocalProvider.OAuth;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 17.4: the built bb against the local provider over HTTPS (<c>--https</c>: a self-signed certificate
/// for 127.0.0.1, trusted only through <c>SSL_CERT_FILE</c>). Signed GETs work over TLS, an untrusted
/// certificate is one <c>bb:</c> line, and a paginate is one TLS handshake: bb offers HTTP/2 over TLS, so the
/// pages it fetches side by side share one connection. Connections are counted by the provider (handshakes
/// completed); nothing here reads a clock. Each test starts its own provider, so the counts are its own.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private const string Repositories = "/2.0/repositories/big";
    private const string DcBranches = "/rest/api/latest/projects/PROJ/repos/many/branches";
    private const string DcToken = "tls-dc-http-access-token-0123456789";

    private readonly string directory = Directory.CreateTempSubdirectory("bb-test-tls-").FullName;
    private readonly BbProcess bb = new();

    private string CertificateFile => Path.Combine(directory, "provider.pem");

    public void Dispose()
    {
        bb.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_signed_get_over_tls_works_when_SSL_CERT_FILE_trusts_the_provider_certificate()
    {
        await using var provider = await StartAsync(new LocalProviderOptions());
        SignedAs(provider);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;

        var result = await bb.RunAsync("user", "get", "--api-url", Origin(provider));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var user = JsonDocument.Parse(result.Stdout);
        Assert.Equal("alice", user.RootElement.GetProperty("username").GetString());
        Assert.StartsWith("https://", Origin(provider), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_SSL_CERT_FILE_trusting_it_the_same_command_is_one_bb_line_and_exit_1()
    {
        await using var provider = await StartAsync(new LocalProviderOptions());
        SignedAs(provider);
        // Whatever the machine's own trust store is (the test run may inherit SSL_CERT_FILE), it does not
        // hold the certificate the provider made a moment ago.
        var result = await bb.RunAsync("user", "get", "--api-url", Origin(provider));

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Equal($"bb: TLS connection to {Origin(provider)} failed: its certificate is not trusted (SSL_CERT_FILE names the certificates to trust)", line);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        // bb refused the certificate, so no request reached the provider (.NET checks the chain once
        // OpenSSL's handshake is through, so the provider may still count a handshake).
        Assert.Empty(provider.Services.Hooks.Snapshot());
        Assert.Empty(provider.Services.Hooks.CountConnections().Protocols);
    }

    [Fact]
    public async Task Api_include_shows_http2_over_tls_and_http11_against_a_server_without_it()
    {
        await using var h2 = await StartAsync(new LocalProviderOptions());
        await using var h1 = await StartAsync(new LocalProviderOptions { Http1Only = true }, "h1.pem");
        SignedAs(h2);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;

        var overH2 = await bb.RunAsync("api", "/2.0/repositories/alice", "-i", "--api-url", Origin(h2));
        SignedAs(h1);
        bb.Environment["SSL_CERT_FILE"] = Path.Combine(directory, "h1.pem");
        var overH1 = await bb.RunAsync("api", "/2.0/repositories/alice", "-i", "--api-url", Origin(h1));

        Assert.True(overH2.ExitCode == 0, overH2.ToString());
        Assert.StartsWith("HTTP/2.0 200 OK", overH2.Stdout, StringComparison.Ordinal);
        Assert.True(overH1.ExitCode == 0, overH1.ToString());
        Assert.StartsWith("HTTP/1.1 200 OK", overH1.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_over_tls_shows_the_version_offered_and_the_one_answered()
    {
        await using var provider = await StartAsync(new LocalProviderOptions());
        SignedAs(provider);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;

        var result = await bb.RunAsync("user", "get", "--verbose", "--api-url", Origin(provider));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("> GET /2.0/user HTTP/2.0", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("< HTTP/2.0 200 OK", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_10_page_cloud_paginate_over_tls_with_the_window_of_4_is_one_connection()
    {
        await using var provider = await StartAsync(new LocalProviderOptions());
        SignedAs(provider);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;
        // Latency makes the window's requests overlap (the record below proves they did); over HTTP/1.1
        // each overlapping request would need a connection, and a handshake, of its own.
        await HookAsync(provider, HttpMethod.Post, "/__test/paging?latencyMs=100");

        await ListBigAsync(provider);

        var pages = await PagesSeenAsync(provider);
        Assert.Equal(Enumerable.Range(1, 10), pages.Select(p => p.Page).Order());
        Assert.Contains(pages, p => p.Concurrent > 1);
        var (connections, protocols) = provider.Services.Hooks.CountConnections();
        Assert.Equal(1, connections);
        Assert.Equal(1, protocols.GetValueOrDefault("HTTP/2"));
    }

    [Fact]
    public async Task A_10_page_data_center_paginate_over_tls_is_one_connection()
    {
        var key = Path.Combine(directory, "dc-consumer.pem");
        await using var provider = await StartAsync(new LocalProviderOptions
        {
            Flavor = ProviderFlavor.DataCenter,
            RsaPrivateKeyOut = key,
            Pages = 10,
            SeedTokens = [DcToken],
        });
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;
        // The login's server probe and identity check go over TLS too.
        var login = await bb.RunAsync(["auth", "login", "--host", "dc", "--api-url", Origin(provider), "--with-token"], DcToken + "\n", null);
        Assert.True(login.ExitCode == 0, login.ToString());
        provider.Services.Hooks.ClearConnections();

        var result = await bb.RunAsync("api", DcBranches + "?limit=25", "--paginate", "--jsonl", "--host", "dc");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(9 * 25 + 10, result.Stdout.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(10, provider.Services.Hooks.Snapshot().Count(r => r.Target.StartsWith(DcBranches, StringComparison.Ordinal)));
        Assert.Equal(1, provider.Services.Hooks.CountConnections().Count);
    }

    [Fact]
    public async Task Against_an_http1_only_server_one_page_at_a_time_reuses_one_connection()
    {
        await using var provider = await StartAsync(new LocalProviderOptions { Http1Only = true });
        SignedAs(provider);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;

        await ListBigAsync(provider, "--parallel", "1");

        var (connections, protocols) = provider.Services.Hooks.CountConnections();
        Assert.Equal(1, connections);
        Assert.Equal(1, protocols.GetValueOrDefault("HTTP/1.1"));
    }

    /// <summary>
    /// HTTP/1.1 carries one request at a time per connection, so the window of 4 may open up to 4 (the
    /// fallback where a server has no HTTP/2); never one per page.
    /// </summary>
    [Fact]
    public async Task Against_an_http1_only_server_the_window_of_4_opens_at_most_4_connections()
    {
        await using var provider = await StartAsync(new LocalProviderOptions { Http1Only = true });
        SignedAs(provider);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;
        await HookAsync(provider, HttpMethod.Post, "/__test/paging?latencyMs=100");

        await ListBigAsync(provider);

        Assert.Contains(await PagesSeenAsync(provider), p => p.Concurrent > 1);
        var (connections, protocols) = provider.Services.Hooks.CountConnections();
        Assert.InRange(connections, 2, 4);
        Assert.Equal(connections, protocols.GetValueOrDefault("HTTP/1.1"));
    }

    [Fact]
    public async Task Bb_proxy_forwards_to_an_https_api_over_one_http2_connection()
    {
        await using var provider = await StartAsync(new LocalProviderOptions());
        SignedAs(provider);
        bb.Environment["SSL_CERT_FILE"] = CertificateFile;
        bb.Environment["BB_API_URL"] = Origin(provider);
        await using var proxy = await RunningProxy.StartAsync(bb);

        using var http = new HttpClient();
        var user = await http.GetStringAsync(new Uri(proxy.Url, "2.0/user"));
        using var chunked = await http.GetAsync(new Uri(proxy.Url, "2.0/repositories/big?pagelen=100"));
        var page = await chunked.Content.ReadAsStringAsync();

        Assert.Equal("alice", JsonDocument.Parse(user).RootElement.GetProperty("username").GetString());
        Assert.True(chunked.IsSuccessStatusCode, page);
        Assert.Equal(100, JsonDocument.Parse(page).RootElement.GetProperty("values").GetArrayLength());
        var (connections, protocols) = provider.Services.Hooks.CountConnections();
        Assert.Equal(1, connections);
        Assert.Equal(1, protocols.GetValueOrDefault("HTTP/2"));
    }

    /// <summary>An HTTPS provider with test hooks; its certificate goes to <paramref name="certificateName"/> in this test's directory.</summary>
    private async Task<RunningProvider> StartAsync(LocalProviderOptions options, string certificateName = "provider.pem") =>
        await LocalProviderServer.StartAsync(options with
        {
            Https = true,
            TlsCertificateOut = Path.Combine(directory, certificateName),
            TestHooks = true,
        });

    private static string Origin(RunningProvider provider) => provider.BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary><c>bb repos list big</c> in pages of 25, one JSON line per repository: it succeeds and all 250 come.</summary>
    private async Task ListBigAsync(RunningProvider provider, params string[] extra)
    {
        var result = await bb.RunAsync(["repos", "list", "big", "--pagelen", "25", "--paginate", "--jsonl", .. extra, "--api-url", Origin(provider)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(250, result.Stdout.TrimEnd('\n').Split('\n').Length);
    }

    /// <summary>OAuth 1.0a from the environment, with an access token for alice issued by the provider itself.</summary>
    private void SignedAs(RunningProvider provider)
    {
        var tokens = provider.Services.Tokens;
        var request = tokens.IssueRequestToken(LocalConsumer.Default.Key, "oob");
        Assert.True(tokens.TryDecide(request, approve: true));
        AccessToken access = tokens.Exchange(request, "alice")!;
        bb.Environment["BB_CONSUMER_KEY"] = LocalConsumer.Default.Key;
        bb.Environment["BB_CONSUMER_SECRET"] = LocalConsumer.Default.Secret;
        bb.Environment["BB_ACCESS_TOKEN"] = access.Token;
        bb.Environment["BB_ACCESS_TOKEN_SECRET"] = access.Secret;
    }

    /// <summary>A test hook request from this test, trusting exactly the provider's certificate (its connection is not counted).</summary>
    private async Task<string> HookAsync(RunningProvider provider, HttpMethod method, string pathAndQuery)
    {
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificateFile));
        var thumbprint = certificate.Thumbprint;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 c && c.Thumbprint == thumbprint },
        });
        using var response = await http.SendAsync(new HttpRequestMessage(method, new Uri(provider.BaseUri, pathAndQuery)));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private sealed record Seen(int Page, int Concurrent);

    private async Task<List<Seen>> PagesSeenAsync(RunningProvider provider)
    {
        using var document = JsonDocument.Parse(await HookAsync(provider, HttpMethod.Get, "/__test/paging"));
        return document.RootElement.GetProperty("requests").EnumerateArray()
            .Where(r => r.GetProperty("target").GetString()!.StartsWith(Repositories, StringComparison.Ordinal))
            .Select(r => new Seen(r.GetProperty("page").GetInt32(), r.GetProperty("concurrent").GetInt32()))
            .ToList();
    }
}

/// <summary>Which requests <see cref="Bitbucket.Cli.Core.Http.HttpVersionHandler"/> offers HTTP/2 for.</summary>
public sealed class HttpVersionOfferTests
{
    [Theory]
    [InlineData("https://api.bitbucket.org/2.0/user", "2.0")]
    [InlineData("HTTPS://127.0.0.1:8443/rest/api/1.0/projects", "2.0")]
    [InlineData("http://127.0.0.1:8080/2.0/user", "1.1")]
    public void Https_with_the_default_version_is_offered_2_0_or_lower_and_plain_http_stays_1_1(string url, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        Bitbucket.Cli.Core.Http.HttpVersionHandler.Offer(request);

        Assert.Equal(Version.Parse(expected), request.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, request.VersionPolicy);
    }

    [Fact]
    public void A_version_the_request_chose_itself_is_left_alone()
    {
        using var exact = new HttpRequestMessage(HttpMethod.Get, "https://api.bitbucket.org/2.0/user") { VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var ten = new HttpRequestMessage(HttpMethod.Get, "https://api.bitbucket.org/2.0/user") { Version = System.Net.HttpVersion.Version10 };

        Bitbucket.Cli.Core.Http.HttpVersionHandler.Offer(exact);
        Bitbucket.Cli.Core.Http.HttpVersionHandler.Offer(ten);

        Assert.Equal(System.Net.HttpVersion.Version11, exact.Version);
        Assert.Equal(System.Net.HttpVersion.Version10, ten.Version);
    }
}
