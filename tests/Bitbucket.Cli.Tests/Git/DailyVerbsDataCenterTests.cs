using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>
/// The daily pull-request loop in a clone of a Data Center repository (PROJ/demo on the local provider,
/// a bare repository on disk as the git server): view, checks --watch, checkout, create --fill, browse
/// and clone, all without typing the project or repository.
/// </summary>
public sealed class DailyVerbsDataCenterTests(DataCenterProviderFixture provider) : IClassFixture<DataCenterProviderFixture>, IDisposable
{
    private readonly BbProcess bb = new();
    private readonly GitCheckout checkout = new();

    public void Dispose()
    {
        bb.Dispose();
        checkout.Dispose();
    }

    private string CloneUrl(string repo = "demo") => $"{provider.ApiUrl}/scm/PROJ/{repo}.git";

    private async Task LoginAsync()
    {
        bb.Environment["BROWSER"] = DataCenterProviderFixture.ApproveCommand;
        var login = await bb.RunAsync(
            ["auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", DataCenterProviderFixture.ConsumerKey, "--rsa-key", provider.KeyFile, "--timeout", "60"],
            stdin: null,
            onStderrLine: null);
        Assert.True(login.ExitCode == 0, login.ToString());
        GitCheckout.MakeDefaultHost(bb, "bitbucket.org");
        bb.Environment.Remove("BROWSER");
        checkout.Prepare(bb);
    }

    private async Task<BbResult> Ok(params string[] args)
    {
        var result = await bb.RunAsync(args);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + "\n" + result);
        return result;
    }

    [Fact]
    public async Task View_without_an_id_shows_the_current_branchs_pull_request_and_with_one_that_one()
    {
        await LoginAsync();
        checkout.AddRemote("origin", CloneUrl());
        checkout.Commit("first");
        checkout.Run("checkout", "-q", "-b", "feature/login");

        var current = await Ok("prs", "view");
        var other = await Ok("prs", "view", "2");

        Assert.Contains("#1 Add login page", current.Stdout, StringComparison.Ordinal);
        Assert.Contains("feature/login -> main", current.Stdout, StringComparison.Ordinal);
        Assert.Contains("Adds the login page.", current.Stdout, StringComparison.Ordinal);
        Assert.Contains("Link: " + provider.ApiUrl + "/projects/PROJ/repos/demo/pull-requests/1", current.Stdout, StringComparison.Ordinal);
        Assert.Contains("#2 OAuth 1.0a sign-in", other.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_watch_looks_again_until_nothing_is_in_progress_and_exits_by_the_result()
    {
        await LoginAsync();
        checkout.AddRemote("origin", CloneUrl());
        var head = (await Ok("prs", "get", "2", "--query", "fromRef.latestCommit")).Stdout.TrimEnd('\n');
        await Ok("api", $"/rest/build-status/1.0/commits/{head}", "--host", "work", "-f", "state=INPROGRESS", "-f", "key=ci", "-f", "url=http://ci.example/1");

        var posted = false;
        var watched = await bb.RunAsync(["prs", "checks", "2", "--watch", "--interval", "1"], stdin: null, onStderrLine: async line =>
        {
            if (!posted && line.Contains("1 in progress", StringComparison.Ordinal))
            {
                posted = true;
                using var other = new BbProcess();
                File.Copy(Path.Combine(bb.ConfigDir, "hosts.json"), Path.Combine(other.ConfigDir, "hosts.json"), overwrite: true);
                var done = await other.RunAsync("api", $"/rest/build-status/1.0/commits/{head}", "--host", "work", "-f", "state=SUCCESSFUL", "-f", "key=ci", "-f", "url=http://ci.example/1");
                Assert.True(done.ExitCode == 0, done.ToString());
            }
        });

        Assert.True(posted, watched.ToString());
        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.StartsWith("SUCCESSFUL", watched.Stdout, StringComparison.Ordinal);

        await Ok("api", $"/rest/build-status/1.0/commits/{head}", "--host", "work", "-f", "state=FAILED", "-f", "key=lint", "-f", "url=http://ci.example/2");
        var failed = await bb.RunAsync("prs", "checks", "2");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("FAILED", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 passed, 1 failed, 0 in progress", failed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkout_fetches_refs_pull_requests_id_from_into_the_source_branch()
    {
        await LoginAsync();
        var bare = checkout.AddBareRemote("origin", CloneUrl());
        checkout.Commit("base");
        checkout.Run("push", "-q", "origin", "main");
        checkout.Run("checkout", "-q", "-b", "scratch");
        var prHead = checkout.Commit("the pull request's work");
        checkout.Run("push", "-q", "origin", "scratch:refs/pull-requests/1/from");
        checkout.Run("checkout", "-q", "main");
        checkout.Run("branch", "-q", "-D", "scratch");
        Assert.NotEmpty(GitCheckout.Git(bare, "rev-parse", "refs/pull-requests/1/from"));

        await Ok("prs", "checkout", "1");

        Assert.Equal("feature/login", checkout.Run("symbolic-ref", "--short", "HEAD").Trim());
        Assert.Equal(prHead, checkout.Run("rev-parse", "HEAD").Trim());
    }

    [Fact]
    public async Task Create_fill_takes_title_and_description_from_the_pushed_branchs_commit()
    {
        await LoginAsync();
        checkout.AddBareRemote("origin", CloneUrl());
        checkout.Commit("base");
        checkout.Run("push", "-q", "-u", "origin", "main");
        checkout.Run("checkout", "-q", "-b", "release/1.0");
        File.WriteAllText(Path.Combine(checkout.Path, "notes.txt"), "notes\n");
        checkout.Run("add", "notes.txt");
        checkout.Run("commit", "-q", "-m", "Release notes for 1.0", "-m", "What changed and why.");

        var notPushed = await bb.RunAsync("prs", "create", "--fill");
        checkout.Run("push", "-q", "-u", "origin", "release/1.0");
        var created = await Ok("prs", "create", "--fill");

        Assert.Equal(1, notPushed.ExitCode);
        Assert.Equal("bb: branch release/1.0 is not pushed to origin; push it first: git push -u origin release/1.0", notPushed.Stderr.Trim());
        Assert.StartsWith("#3 Release notes for 1.0", created.Stdout, StringComparison.Ordinal);
        var description = await Ok("prs", "get", "3", "--query", "[description, fromRef.displayId, toRef.displayId]", "--jsonl");
        Assert.Equal(["\"What changed and why.\"", "\"release/1.0\"", "\"main\""], description.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_generated_create_still_runs_when_a_body_flag_is_given()
    {
        await LoginAsync();
        checkout.AddRemote("origin", CloneUrl());

        var created = await Ok("prs", "create", "-f", "title=From fields", "-f", "fromRef.id=refs/heads/develop", "-f", "toRef.id=refs/heads/main", "--query", "title");

        Assert.Equal("From fields\n", created.Stdout);
    }

    [Fact]
    public async Task Browse_no_browser_prints_the_repository_file_branch_commit_and_pull_request_pages()
    {
        await LoginAsync();
        checkout.AddRemote("origin", $"ssh://git@127.0.0.1:7999/PROJ/demo.git");
        var root = provider.ApiUrl + "/projects/PROJ/repos/demo";

        Assert.Equal(root + "/browse", (await Ok("browse", "--no-browser")).Stdout.Trim());
        Assert.Equal(root + "/browse/src/app%20main.cs?at=refs%2Fheads%2Fdevelop", (await Ok("browse", "src/app main.cs", "--branch", "develop", "--no-browser")).Stdout.Trim());
        Assert.Equal(root + "/commits/abc123", (await Ok("browse", "--commit", "abc123", "--no-browser")).Stdout.Trim());
        Assert.Equal(root + "/pull-requests", (await Ok("browse", "--prs", "--no-browser")).Stdout.Trim());
        Assert.Equal(provider.ApiUrl + "/projects/PROJ/repos/many/browse", (await Ok("browse", "-R", "PROJ/many", "--no-browser")).Stdout.Trim());
    }

    [Fact]
    public async Task Repos_clone_uses_the_clone_url_the_api_reports()
    {
        await LoginAsync();
        checkout.Commit("served");
        var bare = Path.Combine(checkout.Root, "served.git");
        GitCheckout.Git(checkout.Root, "clone", "-q", "--bare", checkout.Path, bare);
        bb.WorkingDirectory = checkout.Root;

        // git's own configuration from the environment sends the reported URL to the bare repository.
        bb.Environment["GIT_CONFIG_COUNT"] = "1";
        bb.Environment["GIT_CONFIG_KEY_0"] = "url." + bare + ".insteadOf";
        bb.Environment["GIT_CONFIG_VALUE_0"] = provider.ApiUrl + "/scm/proj/demo.git";
        var cloned = await bb.RunAsync("repos", "clone", "PROJ/demo", "copy", "--host", "work");

        Assert.True(cloned.ExitCode == 0, cloned.ToString());
        Assert.True(File.Exists(Path.Combine(checkout.Root, "copy", "README.md")));
        Assert.Contains(provider.ApiUrl + "/scm/proj/demo.git", GitCheckout.Git(Path.Combine(checkout.Root, "copy"), "remote", "get-url", "origin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_git_failure_is_one_line_with_gits_exit_status_and_no_credential()
    {
        await LoginAsync();
        var authority = new Uri(provider.ApiUrl).Authority;
        checkout.AddRemote("origin", $"http://alice:s3cret-pw@{authority}{provider.ContextPath}/scm/PROJ/demo.git");
        checkout.Commit("base");

        // The remote URL points at the provider, which serves no git: the fetch fails.
        var result = await bb.RunAsync("prs", "checkout", "1");

        Assert.Equal(128, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("bb: git fetch: fatal: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
