using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>Help exits 0; every usage mistake is one line and exit 2, before anything is sent.</summary>
public sealed class UsageTests
{
    [Fact]
    public async Task Help_lists_the_groups_with_descriptions_and_exits_0()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var group in new[] { "branches", "repos", "prs", "user", "auth", "api" })
        {
            Assert.Matches($@"(?m)^\s+{group}(, [a-z-]+)?\s+\S", result.Stdout);
        }
    }

    [Fact]
    public async Task Command_help_shows_parameters_and_exits_0()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("workspace", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("repo-slug", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("GET /2.0/repositories/{workspace}/{repo_slug}/refs/branches", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--paginate", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^bb \d+\.\d+\.\d+", result.Stdout);
    }

    [Theory]
    [InlineData("nosuch")]
    [InlineData("branches", "list")]
    [InlineData("branches", "list", "ws", "repo", "--bogus")]
    [InlineData("repos", "list", "ws", "--role", "emperor", "--api-url", "http://127.0.0.1:9")]
    [InlineData("repos", "list", "ws", "--pagelen", "lots", "--api-url", "http://127.0.0.1:9")]
    [InlineData("user", "get", "--format", "yaml", "--api-url", "http://127.0.0.1:9")]
    [InlineData("prs", "create", "ws", "repo", "-f", "title=x", "--api-url", "http://127.0.0.1:9")]
    [InlineData("api", "/x", "-f", "novalue", "--api-url", "http://127.0.0.1:9")]
    public async Task Usage_errors_exit_2_with_one_line(params string[] args)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_enum_value_names_the_allowed_values()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("repos", "list", "ws", "--role", "emperor", "--api-url", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("owner, admin, contributor, member", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_script_covers_groups_and_commands()
    {
        using var bb = new BbProcess();

        var bash = await bb.RunAsync("--completion", "bash");
        var zsh = await bb.RunAsync("--completion", "zsh");

        Assert.Equal(0, bash.ExitCode);
        Assert.Equal(0, zsh.ExitCode);
        Assert.Contains("branches", bash.Stdout, StringComparison.Ordinal);
        Assert.Contains("--paginate", bash.Stdout, StringComparison.Ordinal);
        Assert.Contains("branches", zsh.Stdout, StringComparison.Ordinal);
    }
}
