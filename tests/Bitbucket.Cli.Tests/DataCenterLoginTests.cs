using System.Text.Json;
using System.Text.RegularExpressions;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// <c>bb auth login</c> against the local provider as Bitbucket Data Center: the three-flag login
/// (host, API URL, consumer key, RSA key) recognises the server, derives the servlet OAuth URLs and
/// whoami, signs with RSA-SHA1 and stores the flavour; by callback, <c>--oob</c> and <c>--no-browser</c>.
/// </summary>
[Collection(DataCenterProviderCollection.Name)]
public sealed partial class DataCenterLoginTests(DataCenterProviderFixture provider)
{
    [Fact]
    public async Task Three_flag_login_by_callback_recognises_data_center_then_a_signed_call_works()
    {
        using var bb = new BbProcess();
        bb.Environment["BROWSER"] = DataCenterProviderFixture.ApproveCommand;
        await provider.ClearRequestsAsync();

        var login = await bb.RunAsync(
            ["auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", DataCenterProviderFixture.ConsumerKey, "--rsa-key", provider.KeyFile, "--timeout", "60"],
            stdin: null,
            onStderrLine: null);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Opened your browser", login.Stderr, StringComparison.Ordinal);
        Assert.Contains("✓ Logged in to work (Bitbucket Data Center 9.2.0) as alice", login.Stderr, StringComparison.Ordinal);
        Assert.Contains(await provider.RequestTargetsAsync(), t => t == "/rest/api/latest/application-properties");
        AssertStoredDataCenterHost(bb, "work", provider.ApiUrl);

        var branches = await bb.RunAsync("api", "/rest/api/latest/projects/PROJ/repos/demo/branches", "--host", "work");
        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.Contains("\"feature/login\"", branches.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oob_login_to_data_center_reads_the_pin_from_stdin()
    {
        using var bb = new BbProcess();

        var login = await bb.RunInteractiveAsync(
            ["auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", DataCenterProviderFixture.ConsumerKey, "--rsa-key", provider.KeyFile, "--oob", "--timeout", "60"],
            async (line, stdin) =>
            {
                if (!line.StartsWith(provider.ApiUrl + "/plugins/servlet/oauth/authorize?", StringComparison.Ordinal))
                {
                    return;
                }

                var authorize = new Uri(line.Trim());
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                var token = System.Web.HttpUtility.ParseQueryString(authorize.Query)["oauth_token"]!;
                using var approved = await http.PostAsync(
                    new Uri(authorize, authorize.AbsolutePath),
                    new FormUrlEncodedContent([new("oauth_token", token), new("action", "approve")]));
                var pin = Verifier().Match(await approved.Content.ReadAsStringAsync()).Groups[1].Value;
                Assert.NotEmpty(pin);
                await stdin.WriteLineAsync(pin);
                await stdin.FlushAsync();
                stdin.Close();
            });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to work (Bitbucket Data Center 9.2.0) as alice", login.Stderr, StringComparison.Ordinal);
        AssertStoredDataCenterHost(bb, "work", provider.ApiUrl);
    }

    [Fact]
    public async Task No_browser_login_to_data_center_prints_the_servlet_authorize_url()
    {
        using var bb = new BbProcess();

        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--rsa-key", provider.KeyFile);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains(CliAssert.StderrLines(login), l => l.StartsWith(provider.ApiUrl + "/plugins/servlet/oauth/authorize?oauth_token=", StringComparison.Ordinal));
        AssertStoredDataCenterHost(bb, "work", provider.ApiUrl);
    }

    [Fact]
    public async Task Hmac_login_to_data_center_is_refused_with_exit_4_and_one_line_naming_rsa()
    {
        using var bb = new BbProcess();

        var login = await ProviderLogin.LoginAsync(
            bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, DataCenterProviderFixture.ConsumerSecret, "--signature-method", "HMAC-SHA1");

        Assert.True(login.ExitCode == 4, login.ToString());
        var line = Assert.Single(CliAssert.StderrLines(login));
        Assert.StartsWith("bb: 127.0.0.1 refused HMAC-SHA1 signatures", line, StringComparison.Ordinal);
        Assert.Contains("--signature-method RSA-SHA1 --rsa-key FILE", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bb.ConfigDir, "hosts.json")) && bb.HostsJson.Contains("\"token\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Flavor_flag_skips_the_probe()
    {
        using var bb = new BbProcess();
        await provider.ClearRequestsAsync();

        var login = await ProviderLogin.LoginAsync(
            bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--flavor", "datacenter", "--rsa-key", provider.KeyFile);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to work (Bitbucket Data Center) as alice", login.Stderr, StringComparison.Ordinal);
        var targets = await provider.RequestTargetsAsync();
        Assert.Contains(targets, t => t.StartsWith("/plugins/servlet/oauth/request-token", StringComparison.Ordinal));
        Assert.DoesNotContain(targets, t => t.Contains("application-properties", StringComparison.Ordinal));
        AssertStoredDataCenterHost(bb, "work", provider.ApiUrl);
    }

    [Fact]
    public async Task Status_shows_the_flavour_and_the_server_version()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, null, "--rsa-key", provider.KeyFile)).ExitCode);

        var status = await bb.RunAsync("auth", "status");

        Assert.True(status.ExitCode == 0, status.ToString());
        var fields = Assert.Single(status.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('\t');
        Assert.Equal(["work", "alice (default)", provider.ApiUrl, "✓ valid (as alice)", "datacenter", "9.2.0"], fields);
    }

    [Fact]
    public async Task An_unknown_flavor_is_a_usage_error_on_one_line()
    {
        using var bb = new BbProcess();

        var login = await bb.RunAsync("auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", "k", "--flavor", "server");

        Assert.True(login.ExitCode == 2, login.ToString());
        Assert.Equal("bb: unknown --flavor 'server'; use cloud or datacenter", Assert.Single(CliAssert.StderrLines(login)));
    }

    [Fact]
    public async Task Rsa_sha1_without_a_key_is_a_usage_error_on_one_line()
    {
        using var bb = new BbProcess();

        var login = await bb.RunAsync("auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", "k", "--no-browser");

        Assert.True(login.ExitCode == 2, login.ToString());
        Assert.Equal("bb: RSA-SHA1 signs with the consumer's private key: pass --rsa-key FILE (a PEM private key)", Assert.Single(CliAssert.StderrLines(login)));
    }

    internal static void AssertStoredDataCenterHost(BbProcess bb, string name, string apiUrl)
    {
        using var stored = JsonDocument.Parse(bb.HostsJson);
        var host = stored.RootElement.GetProperty("hosts").GetProperty(name);
        Assert.Equal("datacenter", host.GetProperty("flavor").GetString());
        Assert.Equal("RSA-SHA1", host.GetProperty("signatureMethod").GetString());
        Assert.Equal(apiUrl, host.GetProperty("apiUrl").GetString());
        Assert.Equal(apiUrl + "/plugins/servlet/oauth/request-token", host.GetProperty("requestTokenUrl").GetString());
        Assert.Equal(apiUrl + "/plugins/servlet/oauth/authorize", host.GetProperty("authorizeUrl").GetString());
        Assert.Equal(apiUrl + "/plugins/servlet/oauth/access-token", host.GetProperty("accessTokenUrl").GetString());
        Assert.Equal("/plugins/servlet/applinks/whoami", host.GetProperty("userPath").GetString());
        Assert.True(host.GetProperty("accounts").TryGetProperty("alice", out _));
    }

    [GeneratedRegex("<code id=\"verifier\">([^<]+)</code>")]
    private static partial Regex Verifier();
}

/// <summary>The same three-flag login when Data Center lives under a context path.</summary>
public sealed class DataCenterContextPathLoginTests(ContextPathDataCenterProviderFixture provider) : IClassFixture<ContextPathDataCenterProviderFixture>
{
    [Fact]
    public async Task Three_flag_login_under_a_context_path_keeps_it_everywhere()
    {
        Assert.EndsWith("/bitbucket", provider.ApiUrl, StringComparison.Ordinal);
        using var bb = new BbProcess();
        bb.Environment["BROWSER"] = DataCenterProviderFixture.ApproveCommand;

        var login = await bb.RunAsync(
            ["auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", DataCenterProviderFixture.ConsumerKey, "--rsa-key", provider.KeyFile, "--timeout", "60"],
            stdin: null,
            onStderrLine: null);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("✓ Logged in to work (Bitbucket Data Center 9.2.0) as alice", login.Stderr, StringComparison.Ordinal);
        DataCenterLoginTests.AssertStoredDataCenterHost(bb, "work", provider.ApiUrl);

        var branches = await bb.RunAsync("api", "/rest/api/latest/projects/PROJ/repos/demo/branches", "--host", "work");
        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.Contains("\"feature/login\"", branches.Stdout, StringComparison.Ordinal);

        var status = await bb.RunAsync("auth", "status", "--host", "work");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.EndsWith("\tdatacenter\t9.2.0", status.Stdout.TrimEnd('\n'), StringComparison.Ordinal);
    }
}
