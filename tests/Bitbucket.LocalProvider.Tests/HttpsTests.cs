using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Tests;

/// <summary><c>--https</c>, <c>--tls-cert-out</c>, <c>--http1-only</c> and <c>/__test/connections</c> (issue 17.4).</summary>
public sealed class HttpsTests : IDisposable
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private readonly string directory = Directory.CreateTempSubdirectory("bb-provider-tls-").FullName;

    private string CertificateFile => Path.Combine(directory, "cert.pem");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_https_options_are_read_and_off_by_default()
    {
        var none = CommandLine.Parse([], NoEnvironment).Options;
        var all = CommandLine.Parse(["--https", "--tls-cert-out", "c.pem", "--http1-only"], NoEnvironment).Options;

        Assert.False(none.Https);
        Assert.Null(none.TlsCertificateOut);
        Assert.False(none.Http1Only);
        Assert.True(all.Https);
        Assert.Equal("c.pem", all.TlsCertificateOut);
        Assert.True(all.Http1Only);
        Assert.Contains("--https", CommandLine.Usage, StringComparison.Ordinal);
        Assert.Contains("--tls-cert-out", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_the_certificate_without_https_is_refused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            LocalProviderServer.StartAsync(new LocalProviderOptions { TlsCertificateOut = CertificateFile }));
        Assert.Contains("needs --https", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(CertificateFile));
    }

    [Fact]
    public async Task Https_serves_a_certificate_for_127_0_0_1_whose_pem_holds_no_key_and_offers_http2()
    {
        await using var provider = await StartAsync(new LocalProviderOptions());
        var pem = await File.ReadAllTextAsync(CertificateFile);
        using var written = X509Certificate2.CreateFromPem(pem);
        X509Certificate2? presented = null;
        using var http = Client(written, c => presented = c);

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(provider.BaseUri, "/2.0/user"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        });

        Assert.Equal("https", provider.BaseUri.Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(written.Thumbprint, presented!.Thumbprint);
        Assert.DoesNotContain("PRIVATE KEY", pem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem, StringComparison.Ordinal);
        Assert.False(written.HasPrivateKey);
        var names = written.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.True(written.NotAfter - written.NotBefore <= TimeSpan.FromDays(2));
    }

    [Fact]
    public async Task Each_start_makes_a_certificate_with_a_subject_of_its_own_so_two_can_share_one_SSL_CERT_FILE()
    {
        await using var first = await StartAsync(new LocalProviderOptions());
        var firstPem = await File.ReadAllTextAsync(CertificateFile);
        await using var second = await StartAsync(new LocalProviderOptions());
        var secondPem = await File.ReadAllTextAsync(CertificateFile);
        using var a = X509Certificate2.CreateFromPem(firstPem);
        using var b = X509Certificate2.CreateFromPem(secondPem);

        Assert.NotEqual(a.Subject, b.Subject);
        Assert.StartsWith("CN=bb-local-provider ", a.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http1_only_answers_an_http2_offer_with_http11()
    {
        await using var provider = await StartAsync(new LocalProviderOptions { Http1Only = true });
        using var written = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificateFile));
        using var http = Client(written);

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(provider.BaseUri, "/2.0/user"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        });

        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task Connections_counts_each_client_connection_by_protocol_and_leaves_out_the_hooks_own()
    {
        await using var provider = await StartAsync(new LocalProviderOptions { TestHooks = true });
        using var written = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificateFile));

        // Two clients: one HTTP/2 connection carrying three requests, one HTTP/1.1 connection.
        using (var h2 = Client(written))
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await h2.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(provider.BaseUri, "/2.0/user")) { Version = HttpVersion.Version20 });
            }
        }

        using (var h1 = Client(written))
        {
            using var response = await h1.GetAsync(new Uri(provider.BaseUri, "/2.0/user"));
        }

        using var hooks = Client(written);
        var counted = JsonNode.Parse(await hooks.GetStringAsync(new Uri(provider.BaseUri, "/__test/connections")))!;
        using (var clear = await hooks.DeleteAsync(new Uri(provider.BaseUri, "/__test/connections")))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        var cleared = JsonNode.Parse(await hooks.GetStringAsync(new Uri(provider.BaseUri, "/__test/connections")))!;

        Assert.Equal(2, (int)counted["connections"]!);
        Assert.Equal(1, (int)counted["protocols"]!["HTTP/2"]!);
        Assert.Equal(1, (int)counted["protocols"]!["HTTP/1.1"]!);
        Assert.Equal(0, (int)cleared["connections"]!);
    }

    [Fact]
    public async Task Plain_http_still_says_http_and_counts_connections_too()
    {
        await using var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions { TestHooks = true });
        using (var client = new HttpClient())
        {
            using var response = await client.GetAsync(new Uri(provider.BaseUri, "/2.0/user"));
        }

        using var hooks = new HttpClient();
        var counted = JsonNode.Parse(await hooks.GetStringAsync(new Uri(provider.BaseUri, "/__test/connections")))!;

        Assert.Equal("http", provider.BaseUri.Scheme);
        Assert.Equal(1, (int)counted["connections"]!);
        Assert.Equal(1, (int)counted["protocols"]!["HTTP/1.1"]!);
    }

    [Fact]
    public async Task The_process_says_https_on_its_listening_line_and_has_written_the_certificate_by_then()
    {
        var info = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "bb-local-provider.dll"), "--https", "--tls-cert-out", CertificateFile, "--quiet", "--exit-on-stdin-close" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(guard.Token);
            var exists = File.Exists(CertificateFile);
            process.StandardInput.Close();
            await process.WaitForExitAsync(guard.Token);

            Assert.Matches(@"^listening on https://127\.0\.0\.1:[0-9]+$", line);
            Assert.True(exists);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private Task<RunningProvider> StartAsync(LocalProviderOptions options) =>
        LocalProviderServer.StartAsync(options with { Https = true, TlsCertificateOut = CertificateFile });

    /// <summary>A client that trusts exactly <paramref name="trusted"/> (and reports the certificate it was shown).</summary>
    private static HttpClient Client(X509Certificate2 trusted, Action<X509Certificate2>? presented = null)
    {
        var thumbprint = trusted.Thumbprint;
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is not X509Certificate2 shown)
                    {
                        return false;
                    }

                    presented?.Invoke(new X509Certificate2(shown));
                    return shown.Thumbprint == thumbprint;
                },
            },
        });
    }
}
