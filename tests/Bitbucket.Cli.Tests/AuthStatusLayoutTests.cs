using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// <c>bb auth status</c>: a readable block per host on a terminal, the tab-separated line when piped,
/// and nothing the server sends can steer the terminal. Also shell completion of stored host names.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class AuthStatusLayoutTests(ProviderFixture provider)
{
    [Fact]
    public async Task On_a_terminal_each_host_is_a_readable_block()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);

        var (exit, terminal) = await PtyRun.RunAsync(bb, "auth", "status");

        var text = terminal.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(exit == 0, text);
        Assert.Contains("local\n  ✓ Logged in to local as alice\n", text, StringComparison.Ordinal);
        Assert.Contains("  - Flavour: Bitbucket Cloud\n", text, StringComparison.Ordinal);
        Assert.Contains("  - Signature method: HMAC-SHA1\n", text, StringComparison.Ordinal);
        Assert.Contains($"  - Token: stored in {Path.Combine(bb.ConfigDir, "hosts.json")}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Piped_it_is_one_tab_separated_line_per_login()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);

        var result = await bb.RunAsync("auth", "status");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"local\talice (default)\t{provider.ApiUrl}\t✓ valid (as alice)\tcloud\n", result.Stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Control_characters_from_the_server_never_reach_the_terminal(bool onTerminal)
    {
        await using var server = RawHttpServer.Answering(200, """{"username":"ev\u001b[2J\u001b]0;owned\u0007il\r\nx"}""");
        using var bb = new BbProcess();
        bb.Environment["BB_API_URL"] = server.Origin;
        bb.Environment["BB_CONSUMER_KEY"] = "key";
        bb.Environment["BB_CONSUMER_SECRET"] = "secret";
        bb.Environment["BB_ACCESS_TOKEN"] = "token";
        bb.Environment["BB_ACCESS_TOKEN_SECRET"] = "token-secret";

        var (exit, output) = onTerminal
            ? await PtyRun.RunAsync(bb, "auth", "status")
            : await bb.RunAsync("auth", "status") is var piped ? (piped.ExitCode, piped.Stdout) : default;

        Assert.True(exit == 0, output);
        Assert.Single(server.Requests);
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", output, StringComparison.Ordinal);
        Assert.Contains("ev [2J ]0;owned il x", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shell_completion_offers_the_stored_host_names_for_host()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);

        var fish = await bb.RunAsync("--completion-candidates", "fish:host", "--", "prs", "list");
        var bash = await bb.RunAsync("--completion-candidates", "bash:host", "--", "prs", "list");

        Assert.True(fish.ExitCode == 0, fish.ToString());
        Assert.Equal(["bitbucket.org", "local"], fish.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("local", bash.Stdout, StringComparison.Ordinal);
    }
}
