using System.Text.RegularExpressions;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 14, through the built bb: one error style, singular names, exit codes as the README's table,
/// the terminal left as found, User-Agent, gh-style help and completion for four shells.
/// </summary>
public sealed partial class CommandLineFeelTests
{
    private const string EmptyPage = """{"pagelen":10,"values":[]}""";

    // Item 2: one error style.
    [Fact]
    public async Task An_unknown_flag_is_one_line_with_the_close_flag_suggested()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("repos", "list", "x", "--pagniate");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("bb: unknown flag --pagniate; did you mean --paginate?\n", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_command_is_one_line_with_a_close_command_suggested()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("prs", "lst");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("bb: unknown command 'lst' for 'bb prs'; did you mean 'list'?\n", result.Stderr);
    }

    [Theory]
    [InlineData("prs", "comment")]
    [InlineData("prs", "get-commen")]
    [InlineData("rpos")]
    [InlineData("st")]
    [InlineData("zzzzzz")]
    public async Task An_unknown_command_suggests_at_most_three_names(params string[] args)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync(args);

        var line = CliAssert.OneErrorLine(result, 2);
        Assert.StartsWith($"bb: unknown command '{args[^1]}' for 'bb", line, StringComparison.Ordinal);
        var suggested = line.Contains("did you mean", StringComparison.Ordinal)
            ? Quoted().Matches(line[line.IndexOf("did you mean", StringComparison.Ordinal)..]).Count
            : 0;
        Assert.InRange(suggested, 0, 3);
        Assert.EndsWith("\n", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--limit", "abc", "bb: invalid value 'abc' for --limit: expected a whole number")]
    [InlineData("--timeout", "soon", "bb: invalid value 'soon' for --timeout: expected a number")]
    public async Task A_value_of_the_wrong_type_names_no_dotnet_type(string flag, string value, string expected)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("repos", "list", "x", flag, value, "--api-url", "http://127.0.0.1:9");

        Assert.Equal(expected, CliAssert.OneErrorLine(result, 2));
        Assert.DoesNotMatch("Nullable|`1|Int32|Double|System\\.", result.Stderr);
    }

    [Fact]
    public async Task An_unsupported_completion_shell_is_one_line_ending_in_a_newline()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--completion", "tcsh");

        Assert.StartsWith("bb: no shell completion for 'tcsh'", CliAssert.OneErrorLine(result, 2), StringComparison.Ordinal);
        Assert.EndsWith("\n", result.Stderr, StringComparison.Ordinal);
    }

    // Item 3 and 9: singular names, completion for four shells.
    [Theory]
    [InlineData("GET /2.0/repositories/ws/repo/pullrequests", "pr", "list", "ws", "repo")]
    [InlineData("GET /2.0/repositories/ws/repo", "repo", "get", "ws", "repo")]
    [InlineData("GET /2.0/repositories/ws/repo/refs/branches", "branch", "list", "ws", "repo")]
    [InlineData("GET /2.0/repositories/ws/repo/issues", "issue", "list", "ws", "repo")]
    public async Task Singular_group_names_run_the_plural_groups_commands(string requestLine, params string[] args)
    {
        await using var server = RawHttpServer.Answering(200, EmptyPage);
        using var bb = new BbProcess();

        var result = await bb.RunAsync([.. args, "--api-url", server.Origin]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(requestLine, Assert.Single(server.Requests).RequestLine);
    }

    [Fact]
    public async Task Help_shows_the_singular_aliases()
    {
        using var bb = new BbProcess();

        var root = await bb.RunAsync("--help");
        var group = await bb.RunAsync("prs", "--help");
        var viaAlias = await bb.RunAsync("pr", "--help");

        Assert.Matches(@"(?m)^  prs, pr\s+Open, review and merge pull requests$", root.Stdout);
        Assert.Matches(@"(?m)^  branches, branch\s+", root.Stdout);
        Assert.Matches(@"(?m)^ALIASES\n  bb pr$", group.Stdout);
        Assert.Matches(@"(?m)^ALIASES\n  bb prs$", viaAlias.Stdout);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    [InlineData("powershell")]
    public async Task Completion_covers_groups_aliases_and_flags_and_ends_with_a_newline(string shell)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--completion", shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("\n", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\bbranches\b", result.Stdout);
        Assert.Matches(@"\bpr\b", result.Stdout);
        Assert.Contains("paginate", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_offers_a_command_the_common_flags_its_help_lists_and_no_others()
    {
        using var bb = new BbProcess();

        var fish = await bb.RunAsync("--completion", "fish");
        var bash = await bb.RunAsync("--completion", "bash");

        Assert.True(fish.ExitCode == 0 && bash.ExitCode == 0, fish.ToString() + bash);
        string[] FishFlags(string command) => fish.Stdout.Split('\n')
            .Where(l => l.Contains($"'__bb_at {command}'", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @" -l '([^']+)'").Groups[1].Value).ToArray();
        var bashUserGet = System.Text.RegularExpressions.Regex.Match(bash.Stdout, @"__cocona_bb_commands_root_user_get\(\) \{(?<body>[^}]*)\}").Groups["body"].Value;
        foreach (var flag in new[] { "paginate", "limit", "slurp", "parallel", "repo" })
        {
            Assert.DoesNotContain(flag, FishFlags("user get"));
            Assert.DoesNotContain($"\"--{flag}\"", bashUserGet, StringComparison.Ordinal);
        }

        Assert.Contains("\"--jsonl\"", bashUserGet, StringComparison.Ordinal);
        Assert.Contains("limit", FishFlags("repos list"));
        Assert.Contains("paginate", FishFlags("repos list"));
        Assert.Contains("repo", FishFlags("branches list"));
    }

    [Fact]
    public async Task Fish_completion_offers_a_groups_commands_and_stored_host_names()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--completion", "fish");

        Assert.Contains("complete -c bb -n '__bb_at prs' -a 'list' -d 'List pull requests'\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("complete -c bb -n '__bb_at prs list' -l 'host' -x -a '(__bb_hosts)'", result.Stdout, StringComparison.Ordinal);
    }

    // Item 4: exit codes exactly as the README table.
    [Theory]
    [InlineData(0, 200)]
    [InlineData(1, 404)]
    [InlineData(4, 401)]
    public async Task The_exit_code_follows_the_apis_answer(int exitCode, int status)
    {
        await using var server = RawHttpServer.Answering(status, status == 200 ? EmptyPage : """{"type":"error","error":{"message":"no"}}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--api-url", server.Origin);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        if (exitCode != 0)
        {
            CliAssert.OneErrorLine(result, exitCode);
        }
    }

    [Fact]
    public async Task A_5xx_answer_exits_1()
    {
        // POST is not retried, so the 500 is final at once.
        await using var server = RawHttpServer.Answering(500, """{"type":"error","error":{"message":"boom"}}""");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("prs", "create", "ws", "repo", "-f", "title=x", "-f", "source.branch.name=y", "--api-url", server.Origin);

        CliAssert.OneErrorLine(result, 1);
    }

    [Fact]
    public async Task A_network_failure_exits_1()
    {
        using var bb = new BbProcess();
        var port = FreePort();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--api-url", $"http://127.0.0.1:{port}");

        Assert.Contains("connection refused", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("help", "prs", "create")]
    [InlineData("--host", "bitbucket.org", "help", "prs")]
    [InlineData("prs", "--help")]
    public async Task Help_and_version_exit_0(params string[] args)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
    }

    [Theory]
    [InlineData("bb: unknown command 'nosuch' for 'bb'", "nosuch")]
    [InlineData("bb: unknown flag --bogus", "branches", "list", "ws", "repo", "--bogus")]
    [InlineData("bb: unknown flag --limt (see --help)", "user", "get", "--limt", "3")]
    [InlineData("bb: unknown flag --limt; did you mean --limit?", "branches", "list", "ws", "repo", "--limt", "3")]
    [InlineData("bb: missing argument 'repo-slug'", "branches", "list", "ws")]
    [InlineData("bb: invalid value 'x' for --limit", "branches", "list", "ws", "repo", "--limit", "x")]
    [InlineData("bb: unknown host 'nosuch' (configured hosts: bitbucket.org); add it with bb auth login --host nosuch", "branches", "list", "ws", "repo", "--host", "nosuch")]
    [InlineData("bb: unknown host 'nosuch'", "--host", "nosuch", "api", "/2.0/user")]
    [InlineData("bb: the API URL from --api-url is not an absolute http(s) URL", "branches", "list", "ws", "repo", "--api-url", "ftp://example.test")]
    [InlineData("bb: the API URL from --api-url is not an absolute http(s) URL", "api", "/2.0/user", "--api-url=notaurl")]
    public async Task Usage_errors_exit_2(string start, params string[] args)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync(args);

        Assert.StartsWith(start, CliAssert.OneErrorLine(result, 2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_login_exits_4()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("auth", "status");

        CliAssert.OneErrorLine(result, 4);
    }

    // Item 6: User-Agent.
    [Fact]
    public async Task Every_request_says_it_comes_from_bb_and_its_version()
    {
        await using var server = RawHttpServer.Answering(200, """{"username":"x"}""");
        using var bb = new BbProcess();
        var version = (await bb.RunAsync("--version")).Stdout.Trim().Split(' ')[1];

        var generated = await bb.RunAsync("user", "get", "--api-url", server.Origin);
        var api = await bb.RunAsync("api", "/2.0/user", "--api-url", server.Origin);

        Assert.True(generated.ExitCode == 0 && api.ExitCode == 0, generated + "\n" + api);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal($"bb/{version}", r.Header("User-Agent")));
    }

    // Item 5: terminal manners.
    [Theory]
    [InlineData("--version")]
    [InlineData("--help")]
    [InlineData("nosuch")]
    [InlineData("branches", "list", "ws", "repo", "--api-url", "http://127.0.0.1:9")]
    public async Task On_a_terminal_bb_does_not_switch_keypad_mode(params string[] args)
    {
        using var bb = new BbProcess();

        var (_, terminal) = await PtyRun.RunAsync(bb, args);

        Assert.NotEqual("", terminal);
        Assert.DoesNotContain("\u001b[?1h", terminal, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b=", terminal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_typed_at_the_prompt_leaves_the_keypad_mode_as_it_found_it()
    {
        using var bb = new BbProcess();
        bb.Environment["PTY_TYPED"] = "not-the-secret\r";

        // No secret in the environment: login asks for it on the terminal, then fails to connect (port 9).
        var (exitCode, terminal) = await PtyRun.RunAsync(
            bb, "auth", "login", "--host", "ptyhost", "--api-url", "http://127.0.0.1:9", "--flavor", "cloud", "--oauth1", "--consumer-key", "k", "--no-browser");

        Assert.Contains("Consumer secret for k", terminal, StringComparison.Ordinal);
        Assert.Equal(1, exitCode);
        var on = terminal.LastIndexOf("\u001b[?1h", StringComparison.Ordinal);
        var off = terminal.LastIndexOf("\u001b[?1l", StringComparison.Ordinal);
        Assert.True(on < off || on < 0, "the terminal was left in keypad-transmit mode: " + terminal.Replace("\u001b", "ESC", StringComparison.Ordinal));
    }

    // Item 1: help.
    [Fact]
    public async Task Headings_are_bold_on_a_terminal_only_and_never_with_NO_COLOR()
    {
        using var bb = new BbProcess();
        using var noColor = new BbProcess();
        noColor.Environment["NO_COLOR"] = "1";

        var (_, terminal) = await PtyRun.RunAsync(bb, "prs", "create", "--help");
        var (_, plain) = await PtyRun.RunAsync(noColor, "prs", "create", "--help");
        var piped = await bb.RunAsync("prs", "create", "--help");

        Assert.Contains("\u001b[1mUSAGE\u001b[0m", terminal, StringComparison.Ordinal);
        Assert.Contains("USAGE", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", piped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_help_has_gh_sections_and_names_its_arguments()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("prs", "create", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Open a pull request\n", result.Stdout, StringComparison.Ordinal);
        var headings = Regex.Matches(result.Stdout, "(?m)^[A-Z][A-Z ]+(?=\\n|\\s\\()").Select(m => m.Value.Trim()).ToList();
        Assert.Equal(["USAGE", "ARGUMENTS", "FLAGS", "REQUEST BODY", "COMMON FLAGS", "EXAMPLES", "LEARN MORE"], headings);
        Assert.Contains("\n  bb prs create <workspace> <repo-slug> [flags]\n", result.Stdout, StringComparison.Ordinal);
        // Repository coordinates may come from -R, BB_REPO or the git remote: not "(required)" then.
        Assert.Matches(@"(?m)^  workspace\s+Workspace slug or UUID \(default: from -R, BB_REPO or the git remote\)$", result.Stdout);
        Assert.DoesNotContain("0: workspace", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "prs", "create")]
    [InlineData(false, "prs", "delete-comment")]
    [InlineData(true, "prs", "list")]
    public async Task Command_help_offers_paging_flags_only_where_a_list_comes_back(bool list, params string[] args)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync([.. args, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var flag in new[] { "--paginate", "--limit", "--slurp", "--parallel", "--jsonl", "--format" })
        {
            Assert.True(result.Stdout.Contains(flag, StringComparison.Ordinal) == list, $"{flag} in help of {string.Join(' ', args)}:\n{result.Stdout}");
        }

        Assert.Contains("--dry-run", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bb user get does not list: --limit does not apply", "--limit", "user", "get", "--limit", "3")]
    [InlineData("bb user get does not list: --paginate does not apply", "--paginate", "user", "get", "--paginate")]
    [InlineData("bb user get does not list: --slurp does not apply", "--slurp", "user", "get", "--slurp")]
    [InlineData("bb user get does not list: --parallel does not apply", "--parallel", "user", "get", "--parallel", "2")]
    [InlineData("bb user get takes no repository: -R/--repo does not apply", "--repo", "user", "get", "-R", "ws/repo")]
    [InlineData("bb prs decline (POST) prints its answer as JSON: --format does not apply", "--format", "prs", "decline", "ws", "repo", "1", "--format", "table")]
    [InlineData("bb prs merge (POST) prints its answer as JSON: --jsonl does not apply", "--jsonl", "prs", "merge", "ws", "repo", "1", "--jsonl")]
    public async Task A_common_flag_the_commands_help_leaves_out_is_refused_not_ignored(string error, string flag, params string[] args)
    {
        // One rule (CommonOptionScope) for both: what help does not offer, a run does not quietly take.
        await using var server = RawHttpServer.Answering(200, """{"username":"x"}""");
        using var bb = new BbProcess();
        var command = args.TakeWhile(a => !a.StartsWith('-')).Take(2).ToArray();

        var help = await bb.RunAsync([.. command, "--help"]);
        var run = await bb.RunAsync([.. args, "--api-url", server.Origin]);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.DoesNotContain(flag + " ", help.Stdout, StringComparison.Ordinal);
        Assert.Equal("bb: " + error, CliAssert.OneErrorLine(run, 2));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Help_command_prints_the_same_page_as_the_help_flag()
    {
        using var bb = new BbProcess();

        var viaCommand = await bb.RunAsync("help", "prs", "create");
        var viaFlag = await bb.RunAsync("prs", "create", "--help");
        var group = await bb.RunAsync("help", "prs");

        Assert.Equal(viaFlag.Stdout, viaCommand.Stdout);
        Assert.Contains("bb prs create <workspace>", viaCommand.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("Open, review and merge pull requests\n", group.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_help_describes_bb_and_lists_the_core_commands_first()
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync("--help");

        Assert.DoesNotMatch("(?m)^bb$", result.Stdout);
        var core = result.Stdout.IndexOf("\nCORE COMMANDS\n", StringComparison.Ordinal);
        var additional = result.Stdout.IndexOf("\nADDITIONAL COMMANDS\n", StringComparison.Ordinal);
        Assert.True(core > 0 && additional > core, result.Stdout);
        foreach (var name in new[] { "auth", "api", "repos", "prs", "branches" })
        {
            var at = Regex.Match(result.Stdout, $@"(?m)^  {name}\b").Index;
            Assert.InRange(at, core, additional);
        }

        Assert.InRange(Regex.Match(result.Stdout, @"(?m)^  webhooks\b").Index, additional, result.Stdout.Length);
        foreach (var section in new[] { "USAGE", "FLAGS", "EXAMPLES", "LEARN MORE" })
        {
            Assert.Matches($"(?m)^{section}$", result.Stdout);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("'[^']+'")]
    private static partial Regex Quoted();
}

/// <summary>A group typed on its own (<c>bb auth</c>) shows the group's help, as gh does.</summary>
public sealed class BareGroupTests
{
    [Theory]
    [InlineData("auth", "bb auth <command> [flags]")]
    [InlineData("repos", "bb repos <command> [flags]")]
    [InlineData("pr", "<command> [flags]")]
    public async Task A_group_on_its_own_prints_its_help_and_exits_0(string group, string usage)
    {
        using var bb = new BbProcess();

        var result = await bb.RunAsync(group);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        Assert.Contains("USAGE", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(usage, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("COMMANDS", result.Stdout, StringComparison.Ordinal);
    }
}
