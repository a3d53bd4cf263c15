using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// Slow: builds the real tool from a copy of the repository, with the full import of the reference
/// document (256 operations) or the curated api-spec.json as its spec, then asks every group for its
/// help and counts the commands. Minutes per case, so opt-in: skipped unless <c>BB_SLOW_TESTS=1</c>
/// (<c>BB_SLOW_TESTS=1 dotnet test tests/Bitbucket.Cli.Spec.Tests --filter Category=Scale</c>).
/// </summary>
public sealed partial class ScaleBuildTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);
    private readonly string root = Directory.CreateTempSubdirectory("bb-scale-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }

    [SlowTheory]
    [Trait("Category", "Scale")]
    [InlineData("imported")]
    [InlineData("curated")]
    public void The_tool_builds_and_lists_every_command(string which)
    {
        CopyRepository();
        var spec = which == "imported" ? ScaleTests.Imported.Value.Spec : File.ReadAllText(TestPaths.ApiSpec);
        // The default host is Bitbucket Cloud, so bb lists the Cloud commands (an endpoint without "api").
        var cloud = JsonNode.Parse(spec)!["endpoints"]!.AsArray().Where(e => ((string?)e!["api"] ?? "cloud") == "cloud").ToList();
        var endpoints = cloud.Count;
        if (which == "imported")
        {
            Assert.Equal(ScaleTests.ReferenceOperations, endpoints);
        }

        File.WriteAllText(Path.Combine(root, "api-spec.json"), spec);

        var build = Run("dotnet", ["build", "src/Bitbucket.Cli", "-c", "Release", "-nologo", "--disable-build-servers"], BuildTimeout);
        output.WriteLine(string.Join('\n', build.Output.Split('\n').TakeLast(15)));
        Assert.True(build.ExitCode == 0, "the build failed:\n" + Tail(build.Output));
        Assert.Matches(@"(?m)^\s*0 Warning\(s\)", build.Output);
        Assert.Matches(@"(?m)^\s*0 Error\(s\)", build.Output);

        var bb = Directory.GetFiles(Path.Combine(root, "src", "Bitbucket.Cli", "bin", "Release"), "bb.dll", SearchOption.AllDirectories).Single();
        var groups = JsonNode.Parse(spec)!["groups"]!.AsObject().Select(g => g.Key).Where(g => cloud.Any(e => (string?)e!["group"] == g)).ToList();
        var total = 0;
        foreach (var group in groups)
        {
            var help = Run("dotnet", [bb, group, "--help"], TimeSpan.FromMinutes(1));
            Assert.True(help.ExitCode == 0, $"bb {group} --help failed:\n{help.Output}");
            var commands = ListedCommands(help.Output);
            output.WriteLine($"bb {group}: {commands} commands");
            total += commands;
        }

        Assert.Equal(endpoints, total);
    }

    /// <summary>Counts the entries of the COMMANDS section of a group's help (Cocona's "Commands:" too).</summary>
    internal static int ListedCommands(string help)
    {
        var section = CommandsSection().Match(help);
        return section.Success ? section.Groups[1].Value.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal) && l.Trim().Length > 0) : 0;
    }

    private void CopyRepository()
    {
        foreach (var directory in new[] { "src", "generators" })
        {
            CopyTree(Path.Combine(TestPaths.RepoRoot, directory), Path.Combine(root, directory));
        }

        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "nuget.config", ".editorconfig", "README.md" })
        {
            var source = Path.Combine(TestPaths.RepoRoot, file);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(root, file));
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "artifacts", "packages")); // nuget.config's local feed
    }

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyTree(directory, Path.Combine(target, name));
            }
        }
    }

    private (int ExitCode, string Output) Run(string fileName, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["BB_CONFIG_DIR"] = Path.Combine(root, "config") },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}\n{stdout.Result}{stderr.Result}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(60));

    [GeneratedRegex(@"(?ms)^(?:Commands:|COMMANDS)\s*\n(.*?)(?:\n\s*\n|\z)")]
    private static partial Regex CommandsSection();
}
