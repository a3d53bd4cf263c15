using System.Runtime.CompilerServices;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>Source-tree paths: the cases and fixtures are read where they live, not from bin/.</summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Here();

    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string ApiSpec { get; } = Path.Combine(RepoRoot, "api-spec.json");

    public static string Schema { get; } = Path.Combine(RepoRoot, "docs", "api-spec.schema.json");

    public static string ReferenceOpenApi { get; } = Path.Combine(ProjectDirectory, "Fixtures", "bitbucket-cloud-openapi-3.0.yml");

    public static string SchemaCases { get; } = Path.Combine(ProjectDirectory, "SchemaCases");

    public static string GeneratorOnlyCases { get; } = Path.Combine(ProjectDirectory, "GeneratorOnlyCases");

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
