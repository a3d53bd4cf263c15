using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// A Data Center user's daily pull-request work with generated commands after the three-flag login:
/// branches across pages, a pull request created, approved and merged, a stale version refused,
/// and a Cloud-only command refused before anything is sent.
/// </summary>
[Collection(DataCenterProviderCollection.Name)]
public sealed class DataCenterCommandsTests(DataCenterProviderFixture provider) : IDisposable
{
    private readonly BbProcess bb = new();

    public void Dispose() => bb.Dispose();

    private async Task LoginAsync()
    {
        bb.Environment["BROWSER"] = DataCenterProviderFixture.ApproveCommand;
        var login = await bb.RunAsync(
            ["auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", DataCenterProviderFixture.ConsumerKey, "--rsa-key", provider.KeyFile, "--timeout", "60"],
            stdin: null,
            onStderrLine: null);
        Assert.True(login.ExitCode == 0, login.ToString());
    }

    [Fact]
    public async Task Branches_list_paginates_across_data_center_pages_with_the_generated_command()
    {
        await LoginAsync();
        await provider.ClearRequestsAsync();

        var result = await bb.RunAsync("branches", "list", "PROJ", "many", "--paginate", "--host", "work");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var all = JsonDocument.Parse(result.Stdout);
        var names = all.RootElement.EnumerateArray().Select(b => b.GetProperty("displayId").GetString()).ToList();
        Assert.Equal(60, names.Distinct().Count());
        var requests = (await provider.RequestTargetsAsync()).Where(t => t.Contains("/repos/many/branches", StringComparison.Ordinal)).ToList();
        // Following every page asks for the largest page (issue 17): one request instead of three.
        Assert.Equal(["/rest/api/latest/projects/PROJ/repos/many/branches?limit=1000"], requests);
    }

    [Fact]
    public async Task A_pull_request_is_created_approved_and_merged_and_a_stale_version_is_one_line_exit_1()
    {
        await LoginAsync();

        var created = await bb.RunAsync(
            "prs", "create", "PROJ", "demo", "--host", "work",
            "-f", "title=Release notes", "-f", "fromRef.id=refs/heads/release/1.0", "-f", "toRef.id=refs/heads/main");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var pr = JsonDocument.Parse(created.Stdout);
        var id = pr.RootElement.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var version = pr.RootElement.GetProperty("version").GetInt64();

        var approved = await bb.RunAsync("prs", "approve", "PROJ", "demo", id, "alice", "-f", "status=APPROVED", "--host", "work");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains("APPROVED", approved.Stdout, StringComparison.Ordinal);

        var current = await bb.RunAsync("prs", "get", "PROJ", "demo", id, "--host", "work", "--query", "version");
        Assert.True(current.ExitCode == 0, current.ToString());
        var currentVersion = long.Parse(current.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(currentVersion >= version);

        var stale = await bb.RunAsync("prs", "merge", "PROJ", "demo", id, "--pr-version", (currentVersion + 7).ToString(System.Globalization.CultureInfo.InvariantCulture), "--host", "work");
        Assert.Equal(1, stale.ExitCode);
        var line = Assert.Single(stale.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("bb: ", line, StringComparison.Ordinal);
        Assert.Contains("409", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stale.Stdout);

        var merged = await bb.RunAsync("prs", "merge", "PROJ", "demo", id, "--pr-version", currentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), "--host", "work");
        Assert.True(merged.ExitCode == 0, merged.ToString());
        using var done = JsonDocument.Parse(merged.Stdout);
        Assert.Equal("MERGED", done.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_cloud_only_command_on_the_data_center_host_is_one_line_exit_2_and_sends_nothing()
    {
        await LoginAsync();
        await provider.ClearRequestsAsync();

        var result = await bb.RunAsync("pipelines", "list", "ws", "repo", "--host", "work");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("bb: 'bb pipelines list' is a Bitbucket Cloud command; host 'work' is Bitbucket Data Center (use --host to pick a Cloud host)\n", result.Stderr);
        Assert.Empty(await provider.RequestTargetsAsync());
    }

    [Fact]
    public async Task Help_on_the_data_center_host_shows_the_data_center_form()
    {
        await LoginAsync();

        var help = await bb.RunAsync("branches", "list", "--help", "--host", "work");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Host: work (Bitbucket Data Center)", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("project-key", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--page-size", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("workspace", help.Stdout, StringComparison.Ordinal);
    }
}
