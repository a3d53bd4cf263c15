using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// The login the way people and scripts do it: a real headless browser against the bundled
/// provider, and an unattended script against an OAuth 1.0a provider nobody here wrote (oauthlib).
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class EndToEndLoginTests(ProviderFixture provider)
{
    [Fact]
    public async Task Login_through_headless_chromium_then_list_branches()
    {
        using var bb = new BbProcess();
        bb.Environment["BROWSER"] = Path.Combine(BbProcess.RepoRoot, "tests", "e2e", "headless-browser.sh");
        bb.Environment["BB_CONSUMER_SECRET"] = ProviderFixture.ConsumerSecret;

        var login = await bb.RunAsync(
            ["auth", "login", "--host", "local", "--api-url", provider.ApiUrl, "--consumer-key", ProviderFixture.ConsumerKey, "--timeout", "120"],
            stdin: null,
            onStderrLine: null);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Opened your browser", login.Stderr, StringComparison.Ordinal);
        var branches = await bb.RunAsync("branches", "list", "alice", "demo", "--query", "values[].name");
        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.Contains("\"feature/oauth\"", branches.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unattended_login_against_oauthlib_then_signed_calls()
    {
        await using var oauthlib = await OAuthlibProvider.StartAsync("third-party-key", "s3cret &=+%/ ü");
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = "s3cret &=+%/ ü";
        var origin = oauthlib.Origin;

        var login = await bb.RunAsync(
            [
                "auth", "login", "--host", "oauthlib", "--api-url", origin,
                "--request-token-url", origin + "/oauth/request_token",
                "--authorize-url", origin + "/oauth/authorize",
                "--access-token-url", origin + "/oauth/access_token",
                "--consumer-key", "third-party-key", "--no-browser", "--timeout", "60",
            ],
            stdin: null,
            onStderrLine: async line =>
            {
                if (line.StartsWith(origin + "/oauth/authorize?", StringComparison.Ordinal))
                {
                    // The "script" delivering the callback: what a browser does after approval.
                    using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                    using var authorize = await http.GetAsync(new Uri(line.Trim()));
                    Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
                    using var callback = await http.GetAsync(authorize.Headers.Location);
                    Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
                }
            });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in to oauthlib as oauthlib-user", login.Stderr, StringComparison.Ordinal);

        var branches = await bb.RunAsync("branches", "list", "ws", "repo", "--host", "oauthlib", "--query", "values[].name");
        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.Equal("""["main","dev"]""", branches.Stdout.Trim());

        var api = await bb.RunAsync("api", "/2.0/anything/here", "--host", "oauthlib", "-X", "GET", "-f", "q=a b+c~");
        Assert.True(api.ExitCode == 0, api.ToString());

        var status = await bb.RunAsync("auth", "status", "--host", "oauthlib");
        Assert.True(status.ExitCode == 0, status.ToString());
    }

    [Fact]
    public async Task A_wrong_consumer_secret_is_refused_by_oauthlib_with_exit_4()
    {
        await using var oauthlib = await OAuthlibProvider.StartAsync("third-party-key", "right");
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = "wrong";
        var origin = oauthlib.Origin;

        var login = await bb.RunAsync(
            "auth", "login", "--host", "oauthlib", "--api-url", origin,
            "--request-token-url", origin + "/oauth/request_token",
            "--authorize-url", origin + "/oauth/authorize",
            "--access-token-url", origin + "/oauth/access_token",
            "--consumer-key", "third-party-key", "--no-browser");

        Assert.True(login.ExitCode == 4, login.ToString());
        Assert.Single(login.Stderr.Trim().Split('\n'));
    }

    /// <summary>tests/interop/oauthlib_provider.py: oauthlib's server endpoints on 127.0.0.1.</summary>
    private sealed class OAuthlibProvider : IAsyncDisposable
    {
        private readonly Process process;

        private OAuthlibProvider(Process process, int port)
        {
            this.process = process;
            Origin = $"http://127.0.0.1:{port}";
        }

        public string Origin { get; }

        public static async Task<OAuthlibProvider> StartAsync(string key, string secret)
        {
            var start = new ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(BbProcess.RepoRoot, "tests", "interop", "oauthlib_provider.py"));
            start.ArgumentList.Add("0");
            start.ArgumentList.Add("--consumer-key");
            start.ArgumentList.Add(key);
            start.Environment["BB_OAUTH_CONSUMER_SECRET"] = secret;
            var process = Process.Start(start)!;
            var first = await process.StandardOutput.ReadLineAsync();
            if (!int.TryParse(first, out var port))
            {
                var error = await process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"oauthlib provider did not start ({first}): {error} — install python3-oauthlib");
            }

            _ = process.StandardError.ReadToEndAsync();
            return new OAuthlibProvider(process, port);
        }

        public async ValueTask DisposeAsync()
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}

/// <summary>The out-of-band flow: callback <c>oob</c>, the verifier (PIN) typed on stdin.</summary>
[Collection(ProviderCollection.Name)]
public sealed class OutOfBandLoginTests(ProviderFixture provider)
{
    [Fact]
    public async Task Oob_login_reads_the_pin_from_stdin()
    {
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = ProviderFixture.ConsumerSecret;

        var login = await bb.RunInteractiveAsync(
            ["auth", "login", "--host", "local", "--api-url", provider.ApiUrl, "--consumer-key", ProviderFixture.ConsumerKey, "--oob", "--timeout", "60"],
            async (line, stdin) =>
            {
                if (!line.StartsWith(provider.ApiUrl, StringComparison.Ordinal) || !line.Contains("oauth_token=", StringComparison.Ordinal))
                {
                    return;
                }

                var authorize = new Uri(line.Trim());
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                var token = System.Web.HttpUtility.ParseQueryString(authorize.Query)["oauth_token"]!;
                using var approved = await http.PostAsync(
                    new Uri(authorize, authorize.AbsolutePath),
                    new FormUrlEncodedContent([new("oauth_token", token), new("action", "approve")]));
                var page = await approved.Content.ReadAsStringAsync();
                var pin = System.Text.RegularExpressions.Regex.Match(page, "<code id=\"verifier\">([^<]+)</code>").Groups[1].Value;
                Assert.NotEmpty(pin);
                await stdin.WriteLineAsync(pin);
                await stdin.FlushAsync();
                stdin.Close();
            });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in to local as alice", login.Stderr, StringComparison.Ordinal);
    }
}
