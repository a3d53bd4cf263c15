using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>
/// The daily pull-request loop in a clone of a Cloud repository (alice/demo on the local provider,
/// remote <c>git@127.0.0.1:alice/demo.git</c>, a bare repository on disk as the git server).
/// </summary>
public sealed class DailyVerbsCloudTests(ProviderFixture provider) : IClassFixture<ProviderFixture>, IDisposable
{
    private readonly BbProcess bb = new();
    private readonly GitCheckout checkout = new();

    public void Dispose()
    {
        bb.Dispose();
        checkout.Dispose();
    }

    private string RemoteUrl => $"git@{new Uri(provider.ApiUrl).Host}:alice/demo.git";

    private async Task LoginAsync()
    {
        var login = await provider.LoginAsync(bb);
        Assert.True(login.ExitCode == 0, login.ToString());
        GitCheckout.MakeDefaultHost(bb, "bitbucket.org");
        checkout.Prepare(bb);
    }

    private async Task<BbResult> Ok(params string[] args)
    {
        var result = await bb.RunAsync(args);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + "\n" + result);
        return result;
    }

    [Fact]
    public async Task View_without_an_id_finds_the_current_branchs_open_pull_request()
    {
        await LoginAsync();
        checkout.AddRemote("origin", RemoteUrl);
        checkout.Commit("first");
        checkout.Run("checkout", "-q", "-b", "feature/login");

        var view = await Ok("prs", "view");

        Assert.StartsWith("#1 Add login page\n", view.Stdout, StringComparison.Ordinal);
        Assert.Contains("State: OPEN", view.Stdout, StringComparison.Ordinal);
        Assert.Contains("feature/login -> main", view.Stdout, StringComparison.Ordinal);
        Assert.Contains("Link: " + provider.ApiUrl + "/alice/demo/pull-requests/1", view.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_reads_the_pull_requests_statuses_and_ctrl_c_during_watch_is_130()
    {
        await LoginAsync();
        checkout.AddRemote("origin", RemoteUrl);
        var head = (await Ok("prs", "get", "1", "--query", "source.commit.hash")).Stdout.TrimEnd('\n');
        await Ok("api", $"/2.0/repositories/alice/demo/commit/{head}/statuses/build", "--host", "local", "-f", "state=SUCCESSFUL", "-f", "key=build", "-f", "url=http://ci.example/b");

        var passed = await bb.RunAsync("prs", "checks", "1");
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("SUCCESSFUL  build", passed.Stdout, StringComparison.Ordinal);

        await Ok("api", $"/2.0/repositories/alice/demo/commit/{head}/statuses/build", "--host", "local", "-f", "state=INPROGRESS", "-f", "key=deploy", "-f", "url=http://ci.example/d");
        var pending = await bb.RunAsync("prs", "checks", "1");
        Assert.Equal(1, pending.ExitCode);

        using var process = bb.Start(["prs", "checks", "1", "--watch", "--interval", "300"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var killOnTimeout = guard.Token.Register(() => process.Kill(entireProcessTree: true));
        var lines = new List<string>();
        while (await process.StandardError.ReadLineAsync(guard.Token) is { } line)
        {
            lines.Add(line);
            if (line.Contains("1 in progress", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Contains(lines, l => l.Contains("looking again in 300 s", StringComparison.Ordinal));
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(guard.Token);
        }

        var rest = await process.StandardError.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);
        await stdout;
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("bb: cancelled", rest.Trim());
    }

    [Fact]
    public async Task Create_fill_posts_the_branch_into_the_main_branch_and_web_prints_the_compare_page()
    {
        await LoginAsync();
        checkout.AddBareRemote("origin", RemoteUrl);
        checkout.Commit("base");
        checkout.Run("push", "-q", "-u", "origin", "main");
        checkout.Run("checkout", "-q", "-b", "hotfix/1.0.1");
        checkout.Commit("Fix the crash on start");
        checkout.Commit("Add a test for the crash");
        checkout.Run("push", "-q", "-u", "origin", "hotfix/1.0.1");

        var web = await Ok("prs", "create", "--web", "--no-browser");
        var created = await Ok("prs", "create", "--fill", "--draft");

        Assert.Equal(provider.ApiUrl + "/alice/demo/pull-requests/new?source=hotfix%2F1.0.1&dest=main", web.Stdout.Trim());
        Assert.StartsWith("#", created.Stdout, StringComparison.Ordinal);
        Assert.Contains(" Fix the crash on start", created.Stdout, StringComparison.Ordinal);
        var id = created.Stdout[1..created.Stdout.IndexOf(' ', StringComparison.Ordinal)];
        var stored = await Ok("prs", "get", id, "--query", "[destination.branch.name, description]", "--jsonl");
        Assert.Equal(["\"main\"", "\"- Fix the crash on start\\n- Add a test for the crash\""], stored.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Checkout_fetches_the_source_branch_and_switches_to_it()
    {
        await LoginAsync();
        var bare = checkout.AddBareRemote("origin", RemoteUrl);
        checkout.Commit("base");
        checkout.Run("push", "-q", "origin", "main");
        checkout.Run("checkout", "-q", "-b", "feature/login");
        var tip = checkout.Commit("login page");
        checkout.Run("push", "-q", "origin", "feature/login");
        checkout.Run("checkout", "-q", "main");
        checkout.Run("branch", "-q", "-D", "feature/login");
        Assert.Equal(tip, GitCheckout.Git(bare, "rev-parse", "refs/heads/feature/login").Trim());

        await Ok("prs", "checkout", "1");

        Assert.Equal("feature/login", checkout.Run("symbolic-ref", "--short", "HEAD").Trim());
        Assert.Equal(tip, checkout.Run("rev-parse", "HEAD").Trim());
    }

    [Fact]
    public async Task Browse_no_browser_prints_cloud_pages()
    {
        await LoginAsync();
        checkout.AddRemote("origin", RemoteUrl);
        var root = provider.ApiUrl + "/alice/demo";

        Assert.Equal(root, (await Ok("browse", "--no-browser")).Stdout.Trim());
        Assert.Equal(root + "/src/feature/login/docs/a.md", (await Ok("browse", "docs/a.md", "--branch", "feature/login", "--no-browser")).Stdout.Trim());
        Assert.Equal(root + "/branch/develop", (await Ok("browse", "--branch", "develop", "--no-browser")).Stdout.Trim());
        Assert.Equal(root + "/commits/abc123", (await Ok("browse", "--commit", "abc123", "--no-browser")).Stdout.Trim());
    }

    [Fact]
    public async Task Status_lists_the_current_branchs_pull_request_and_yours()
    {
        await LoginAsync();
        checkout.AddRemote("origin", RemoteUrl);
        checkout.Commit("first");
        checkout.Run("checkout", "-q", "-b", "feature/login");

        var status = await Ok("prs", "status");

        var lines = status.Stdout.Split('\n');
        Assert.Equal("Current branch (feature/login):", lines[0]);
        Assert.Equal("  #1 Add login page [feature/login -> main] OPEN", lines[1]);
        var mine = Array.IndexOf(lines, "Created by you:");
        Assert.True(mine > 0, status.Stdout);
        Assert.Equal("  #1 Add login page [feature/login -> main] OPEN", lines[mine + 1]);
        Assert.Contains("Waiting for your review:", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_a_checkout_a_verb_says_how_to_name_the_repository()
    {
        await LoginAsync();
        bb.WorkingDirectory = checkout.Root;

        var result = await bb.RunAsync("prs", "view", "1", "--host", "local");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("bb: no repository: run this inside a clone of a Bitbucket repository, or give -R WORKSPACE/REPO", result.Stderr.Trim());
    }
}
