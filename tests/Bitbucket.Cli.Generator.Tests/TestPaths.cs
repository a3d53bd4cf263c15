using System.Runtime.CompilerServices;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>Source-tree paths (not bin/): baselines are rewritten in place, and the real spec is read from the repo root.</summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Here();

    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string RealSpec { get; } = Path.Combine(RepoRoot, "api-spec.json");

    public static string Fixture(string name) => Path.Combine(ProjectDirectory, "Fixtures", name);

    public static string Baselines(string testName) => Path.Combine(ProjectDirectory, "Baselines", testName);

    public static string MalformedSpecs { get; } = Path.Combine(ProjectDirectory, "MalformedSpecs");

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
