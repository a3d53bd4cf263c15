using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// The host's flavour, decided at start-up from <c>--host</c>, <c>BB_HOST</c> or the default host:
/// help names it, and a command of the other flavour is one line and exit 2.
/// </summary>
public sealed class FlavorDispatchTests
{
    private const string DataCenterDefault = """
        {"version": 1, "defaultHost": "work", "hosts": {"work": {"flavor": "datacenter", "apiUrl": "http://127.0.0.1:9",
         "requestTokenUrl": "http://127.0.0.1:9/plugins/servlet/oauth/request-token", "authorizeUrl": "http://127.0.0.1:9/plugins/servlet/oauth/authorize",
         "accessTokenUrl": "http://127.0.0.1:9/plugins/servlet/oauth/access-token", "signatureMethod": "HMAC-SHA1", "accounts": {}}}}
        """;

    private const string CloudDefaultWithDataCenterHost = """
        {"version": 1, "defaultHost": "bitbucket.org", "hosts": {"work": {"flavor": "datacenter", "apiUrl": "http://127.0.0.1:9",
         "requestTokenUrl": "http://127.0.0.1:9/plugins/servlet/oauth/request-token", "authorizeUrl": "http://127.0.0.1:9/plugins/servlet/oauth/authorize",
         "accessTokenUrl": "http://127.0.0.1:9/plugins/servlet/oauth/access-token", "signatureMethod": "HMAC-SHA1", "accounts": {}}}}
        """;

    [Fact]
    public async Task Root_help_names_the_default_cloud_host()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\nHost: bitbucket.org (Bitbucket Cloud)\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_and_group_help_name_a_default_data_center_host()
    {
        using var bb = WithHosts(DataCenterDefault);

        var root = await bb.RunAsync("--help");
        var group = await bb.RunAsync("auth", "--help");

        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.Contains("\nHost: work (Bitbucket Data Center)\n", root.Stdout, StringComparison.Ordinal);
        Assert.True(group.ExitCode == 0, group.ToString());
        Assert.Contains("\nHost: work (Bitbucket Data Center)\n", group.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_help_on_a_cloud_host_names_it()
    {
        using var bb = WithHosts(CloudDefaultWithDataCenterHost);

        var result = await bb.RunAsync("branches", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\nHost: bitbucket.org (Bitbucket Cloud)\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("list", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--host", "work")]
    [InlineData("--host=work")]
    public async Task The_host_option_picks_the_flavour(params string[] hostArgs)
    {
        using var bb = WithHosts(CloudDefaultWithDataCenterHost);

        var result = await bb.RunAsync(["auth", "--help", .. hostArgs]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\nHost: work (Bitbucket Data Center)\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bb_host_picks_the_flavour_when_no_option_does()
    {
        using var bb = WithHosts(CloudDefaultWithDataCenterHost);
        bb.Environment["BB_HOST"] = "work";

        var result = await bb.RunAsync("--help");

        Assert.Contains("\nHost: work (Bitbucket Data Center)\n", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Pipelines are Bitbucket Cloud only: no Data Center API has them.</summary>
    [Fact]
    public async Task A_cloud_command_on_a_data_center_host_is_one_line_and_exit_2_before_anything_is_sent()
    {
        await using var server = RawHttpServer.Answering(200, "{}");
        using var bb = WithHosts(DataCenterDefault);

        var result = await bb.RunAsync("pipelines", "list", "ws", "repo", "--api-url", server.Origin);

        Assert.Equal(
            "bb: 'bb pipelines list' is a Bitbucket Cloud command; host 'work' is Bitbucket Data Center (use --host to pick a Cloud host)",
            CliAssert.OneErrorLine(result, 2));
        Assert.Empty(result.Stdout);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_same_command_runs_when_host_picks_a_cloud_host()
    {
        await using var server = RawHttpServer.Answering(200, """{"values":[]}""");
        using var bb = WithHosts(DataCenterDefault);

        var result = await bb.RunAsync("pipelines", "list", "ws", "repo", "--host", "bitbucket.org", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_command_no_flavour_has_is_the_unknown_command_usage_error_on_a_cloud_host()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("nosuch", "cmd");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(CliAssert.StderrLines(result));
        Assert.Equal("bb: unknown command 'nosuch' for 'bb' (see 'bb --help')", line);
    }

    [Fact]
    public async Task A_corrupt_hosts_file_falls_back_to_cloud_for_help_and_the_command_reports_it()
    {
        using var bb = WithHosts("{not json");

        var help = await bb.RunAsync("--help");
        var command = await bb.RunAsync("user", "get");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("\nHost: bitbucket.org (Bitbucket Cloud)\n", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("is not valid bb configuration", CliAssert.OneErrorLine(command, 1), StringComparison.Ordinal);
    }

    private static BbProcess WithHosts(string json)
    {
        var bb = new BbProcess();
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        File.WriteAllText(path, json);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return bb;
    }
}
