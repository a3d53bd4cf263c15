using System.Diagnostics;
using System.Text.RegularExpressions;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Tests.Support;
using Bitbucket.LocalProvider;

namespace Bitbucket.Cli.Tests;

/// <summary>The README's sections that issue 14 made promises about say what bb and tests/run really do.</summary>
public sealed partial class ReadmeTruthTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(BbProcess.RepoRoot, "README.md"));

    [Fact]
    public void Run_the_tests_names_every_package_tests_run_installs()
    {
        var section = Section("## Run the tests");
        var packages = new[] { "tests/run", "tests/aot-smoke.sh" }
            .SelectMany(script => NeedList().Matches(File.ReadAllText(Path.Combine(BbProcess.RepoRoot, script))))
            .SelectMany(m => m.Groups["names"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Distinct()
            .ToList();

        Assert.Contains("clang", packages);
        Assert.All(packages, package => Assert.Contains($"`{package}`", section, StringComparison.Ordinal));
    }

    [Fact]
    public void The_exit_code_table_lists_exactly_the_codes_bb_uses()
    {
        var table = Section("## Exit codes");
        var documented = TableRow().Matches(table).Select(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

        Assert.Equal([ExitCodes.Ok, ExitCodes.Error, ExitCodes.Usage, ExitCodes.Auth, ExitCodes.Cancelled], documented);
    }

    [Fact]
    public async Task The_help_example_is_what_bb_prints()
    {
        var example = Regex.Match(Readme, @"```\n\$ bb (?<args>help [^\n]+)\n(?<help>.*?)```", RegexOptions.Singleline);
        Assert.True(example.Success, "the README shows no help example");
        using var bb = new BbProcess();

        var result = await bb.RunAsync(example.Groups["args"].Value.Split(' '));

        Assert.True(result.ExitCode == 0, result.ToString());
        var actual = result.Stdout.Split('\n');
        var at = 0;
        foreach (var line in example.Groups["help"].Value.TrimEnd('\n').Split('\n').Where(l => l.Trim() != "…"))
        {
            var found = Array.IndexOf(actual, line, at);
            Assert.True(found >= 0, $"README help line not printed (in this order) by bb: '{line}'\n{result.Stdout}");
            at = found + 1;
        }
    }

    [Fact]
    public async Task The_bundled_provider_login_works_as_written_with_no_browser_and_curl()
    {
        var section = Section("**Against the bundled provider**", "**Bitbucket Data Center**");
        var login = Regex.Match(section, @"^BB_CONSUMER_SECRET=(?<secret>\S+) bb (?<args>auth login [^\n]+)$", RegexOptions.Multiline);
        var curl = Regex.Match(section, @"^curl (?<args>.+?) '(?<url>http://127\.0\.0\.1:PORT/[^']*)'$", RegexOptions.Multiline);
        Assert.True(login.Success && curl.Success, section);
        Assert.Contains("--no-browser", login.Groups["args"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("--auto-approve", section.Split('\n').First(l => l.Contains("bb-local-provider", StringComparison.Ordinal)), StringComparison.Ordinal);

        // The provider as the README starts it: no auto-approve, nothing but the plain form.
        await using var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions());
        var origin = provider.BaseUri.GetLeftPart(UriPartial.Authority);
        var port = provider.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var bb = new BbProcess();
        bb.Environment["BB_CONSUMER_SECRET"] = login.Groups["secret"].Value;
        var args = login.Groups["args"].Value.Replace("PORT", port, StringComparison.Ordinal).Split(' ').Append("--timeout").Append("60");
        var curlArgs = curl.Groups["args"].Value.Split(' ');
        var approved = 0;

        var result = await bb.RunAsync(args, stdin: null, onStderrLine: async line =>
        {
            if (line.StartsWith(origin, StringComparison.Ordinal) && line.Contains("oauth_token=", StringComparison.Ordinal))
            {
                Assert.StartsWith(curl.Groups["url"].Value.Replace("PORT", port, StringComparison.Ordinal).Split('?')[0], line.Trim(), StringComparison.Ordinal);
                Assert.Equal(0, await CurlAsync(curlArgs, line.Trim()));
                approved++;
            }
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, approved);
        Assert.Contains("✓ Logged in to local as alice", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs curl exactly as the README writes it (a plain POST; -L follows the redirect to bb's listener).</summary>
    private static async Task<int> CurlAsync(IEnumerable<string> args, string url)
    {
        var start = new ProcessStartInfo("curl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--max-time");
        start.ArgumentList.Add("60");
        start.ArgumentList.Add(url);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }

    private static string Section(string heading, string? next = null)
    {
        var start = Readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}'");
        var end = next is null ? Readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal) : Readme.IndexOf(next, start, StringComparison.Ordinal);
        return Readme[start..(end < 0 ? Readme.Length : end)];
    }

    [GeneratedRegex(@"need\+=\((?<names>[^)]+)\)")]
    private static partial Regex NeedList();

    [GeneratedRegex(@"(?m)^\| (?<code>\d+) \|")]
    private static partial Regex TableRow();
}
