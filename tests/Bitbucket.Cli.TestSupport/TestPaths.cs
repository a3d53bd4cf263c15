using System.Runtime.CompilerServices;

namespace Bitbucket.Cli.TestSupport;

/// <summary>
/// Where tests find their inputs: in the source tree, not bin/ (baselines are rewritten in place, the
/// real spec is read from the repository root). The one place that knows the layout.
/// </summary>
public static class TestPaths
{
    /// <summary>The repository root: the nearest folder above this file that holds bb.slnx.</summary>
    public static string RepoRoot { get; } = FindRepoRoot(Here());

    /// <summary>The real, curated api-spec.json.</summary>
    public static string ApiSpec { get; } = Path.Combine(RepoRoot, "api-spec.json");

    /// <summary>Same as <see cref="ApiSpec"/> (the generator tests' name for it).</summary>
    public static string RealSpec => ApiSpec;

    public static string Schema { get; } = Path.Combine(RepoRoot, "docs", "api-spec.schema.json");

    public static string Docs(string name) => Path.Combine(RepoRoot, "docs", name);

    // Bitbucket.Cli.Generator.Tests
    public static string GeneratorTests { get; } = Path.Combine(RepoRoot, "tests", "Bitbucket.Cli.Generator.Tests");

    /// <summary>A purpose-made spec of Generator.Tests/Fixtures.</summary>
    public static string Fixture(string name) => Path.Combine(GeneratorTests, "Fixtures", name);

    /// <summary>The folder of one baseline test's expected files.</summary>
    public static string Baselines(string testName) => Path.Combine(GeneratorTests, "Baselines", testName);

    public static string MalformedSpecs { get; } = Path.Combine(GeneratorTests, "MalformedSpecs");

    public static string FuzzRegressions { get; } = Path.Combine(GeneratorTests, "FuzzRegressions");

    // Bitbucket.Cli.Spec.Tests
    public static string SpecTests { get; } = Path.Combine(RepoRoot, "tests", "Bitbucket.Cli.Spec.Tests");

    /// <summary>The reference OpenAPI document the importer and scale tests read (Spec.Tests/Fixtures/README.md).</summary>
    /// <summary>
    /// Atlassian's Data Center 9.2 OpenAPI document: <c>../shared/reference/</c> beside the repository (never
    /// copied into it), or the file named by <c>BB_DC_REFERENCE</c>. Tests that need it skip, naming this path, when it is absent.
    /// </summary>
    public static string DataCenterReference { get; } = Environment.GetEnvironmentVariable("BB_DC_REFERENCE") is { Length: > 0 } path
        ? Path.GetFullPath(path)
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference", "bitbucket-datacenter-9.2-openapi.json"));

    public static string ReferenceOpenApi { get; } = Path.Combine(SpecTests, "Fixtures", "bitbucket-cloud-openapi-3.0.yml");

    public static string SchemaCases { get; } = Path.Combine(SpecTests, "SchemaCases");

    public static string GeneratorOnlyCases { get; } = Path.Combine(SpecTests, "GeneratorOnlyCases");

    private static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bb.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (bb.slnx) above " + start);
    }

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
