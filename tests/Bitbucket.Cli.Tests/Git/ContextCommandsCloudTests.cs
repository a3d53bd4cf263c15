using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>
/// Generated Cloud commands inside a git checkout: the workspace and repository come from the
/// remote (every Cloud URL shape), <c>-R</c> or <c>BB_REPO</c>; the remote's host picks the login.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class ContextCommandsCloudTests(ProviderFixture provider) : IDisposable
{
    private readonly BbProcess bb = new();
    private readonly GitCheckout checkout = new();

    public void Dispose()
    {
        bb.Dispose();
        checkout.Dispose();
    }

    /// <summary>Logged in as host "local", which is not the default host: only the remote can pick it.</summary>
    private async Task LoginAsync()
    {
        var login = await provider.LoginAsync(bb);
        Assert.True(login.ExitCode == 0, login.ToString());
        GitCheckout.MakeDefaultHost(bb, "bitbucket.org");
        checkout.Prepare(bb);
        await GitCheckout.ClearRequestsAsync(provider.ApiUrl);
    }

    private string Host => new Uri(provider.ApiUrl).Host;

    private int Port => new Uri(provider.ApiUrl).Port;

    [Theory]
    [InlineData("git@{host}:alice/demo.git")]
    [InlineData("https://alice@{host}:{port}/alice/demo.git")]
    [InlineData("ssh://git@{host}/alice/demo.git")]
    public async Task Prs_list_without_coordinates_asks_for_the_remotes_repository_on_the_remotes_host(string shape)
    {
        await LoginAsync();
        checkout.AddRemote("origin", shape.Replace("{host}", Host, StringComparison.Ordinal).Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var result = await bb.RunAsync("prs", "list", "--query", "length(values)");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("/2.0/repositories/alice/demo/pullrequests", await GitCheckout.RequestTargetsAsync(provider.ApiUrl));
    }

    [Fact]
    public async Task Prs_get_with_only_the_id_fills_the_coordinates_before_it()
    {
        await LoginAsync();
        checkout.AddRemote("origin", $"git@{Host}:alice/demo.git");

        var result = await bb.RunAsync("prs", "get", "1", "--query", "id");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("1", result.Stdout.Trim());
        Assert.Contains("/2.0/repositories/alice/demo/pullrequests/1", await GitCheckout.RequestTargetsAsync(provider.ApiUrl));
    }

    [Fact]
    public async Task Dash_R_and_then_BB_REPO_override_the_remote()
    {
        await LoginAsync();
        checkout.AddRemote("origin", $"git@{Host}:alice/demo.git");

        var withOption = await bb.RunAsync("branches", "list", "-R", "alice/many", "--host", "local", "--query", "length(values)");
        bb.Environment["BB_REPO"] = "alice/api-client";
        var withVariable = await bb.RunAsync("branches", "list", "--host", "local", "--query", "length(values)");

        Assert.True(withOption.ExitCode == 0, withOption.ToString());
        Assert.True(withVariable.ExitCode == 0, withVariable.ToString());
        var targets = await GitCheckout.RequestTargetsAsync(provider.ApiUrl);
        Assert.Contains("/2.0/repositories/alice/many/refs/branches", targets);
        Assert.Contains("/2.0/repositories/alice/api-client/refs/branches", targets);
        Assert.DoesNotContain(targets, t => t.Contains("/alice/demo/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Typed_coordinates_are_used_as_before_and_with_dash_R_too_are_a_usage_error()
    {
        await LoginAsync();
        checkout.AddRemote("origin", $"git@{Host}:alice/demo.git");

        var typed = await bb.RunAsync("prs", "list", "alice", "many", "--host", "local", "--query", "length(values)");
        var twice = await bb.RunAsync("prs", "list", "alice", "many", "-R", "alice/demo", "--host", "local");

        Assert.True(typed.ExitCode == 0, typed.ToString());
        Assert.Contains("/2.0/repositories/alice/many/pullrequests", await GitCheckout.RequestTargetsAsync(provider.ApiUrl));
        Assert.Equal(2, twice.ExitCode);
        Assert.StartsWith("bb: the repository is given twice", Assert.Single(twice.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_dash_R_is_one_usage_line()
    {
        await LoginAsync();

        var result = await bb.RunAsync("prs", "list", "-R", "alice", "--host", "local");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("bb: -R/--repo wants WORKSPACE/REPO (Data Center: PROJECT/REPO), not 'alice'", result.Stderr.Trim());
    }

    [Fact]
    public async Task Outside_a_checkout_nothing_changes()
    {
        await LoginAsync();
        bb.WorkingDirectory = checkout.Root;

        var result = await bb.RunAsync("prs", "list", "--host", "local");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing argument 'workspace'", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await GitCheckout.RequestTargetsAsync(provider.ApiUrl));
    }

    [Fact]
    public async Task Remotes_that_disagree_are_one_line_listing_them_exit_2()
    {
        await LoginAsync();
        checkout.AddRemote("fork", $"git@{Host}:bob/demo.git");
        checkout.AddRemote("upstream", $"git@{Host}:alice/demo.git");

        var result = await bb.RunAsync("prs", "list");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("fork: " + Host + "/bob/demo", line, StringComparison.Ordinal);
        Assert.Contains("upstream: " + Host + "/alice/demo", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_shows_where_omitted_coordinates_come_from()
    {
        checkout.Prepare(bb);

        var result = await bb.RunAsync("prs", "list", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(default: from -R, BB_REPO or the git remote)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("-R, --repo", result.Stdout, StringComparison.Ordinal);
    }
}
