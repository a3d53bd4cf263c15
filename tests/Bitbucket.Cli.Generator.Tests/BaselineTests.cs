namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// Compares generated files with the checked-in Baselines/{Test}/{HintName}.txt, exactly — for small,
/// purpose-made specs only. The real api-spec.json changes with every new endpoint, so it is checked by
/// properties instead (<see cref="RealSpecTests"/>), never against a copy of its output.
/// To accept a change, run the tests with BB_UPDATE_BASELINES=1: the files are rewritten and stale
/// ones deleted; review the diff and commit it.
/// </summary>
public sealed class BaselineTests
{
    [Fact]
    public void Fixture_every_feature() => Verify("Fixture", File.ReadAllText(TestPaths.Fixture("everything.json")));

    [Fact]
    public void Custom_namespace_and_empty_spec()
        => Verify("CustomNamespace", """{ "specVersion": 1, "api": { "name": "X", "baseUrl": "https://x.test" }, "groups": {}, "endpoints": [] }""", "My.Company.Api");

    private static void Verify(string testName, string spec, string? ns = null)
    {
        var result = GeneratorHarness.Run(spec, ns);
        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Exception);
        var sources = GeneratorHarness.Sources(result);
        Baselines.Check(testName, sources);
    }
}

/// <summary>The baseline switch, shared by every test that compares generated text.</summary>
internal static class Baselines
{
    public const string UpdateVariable = "BB_UPDATE_BASELINES";

    public static bool Update => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static void Check(string testName, IReadOnlyDictionary<string, string> files)
    {
        var folder = TestPaths.Baselines(testName);
        if (Update)
        {
            Directory.CreateDirectory(folder);
            foreach (var stale in Directory.GetFiles(folder, "*.txt").Where(f => !files.ContainsKey(Path.GetFileNameWithoutExtension(f))))
            {
                File.Delete(stale);
            }

            foreach (var (hintName, source) in files)
            {
                File.WriteAllText(Path.Combine(folder, hintName + ".txt"), source);
            }

            return;
        }

        var expected = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.txt").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
            : [];
        Assert.True(
            expected.SequenceEqual(files.Keys.Order(StringComparer.Ordinal)),
            $"Generated files [{string.Join(", ", files.Keys.Order(StringComparer.Ordinal))}] differ from Baselines/{testName} [{string.Join(", ", expected)}]; run with {UpdateVariable}=1 to update.");
        foreach (var (hintName, source) in files)
        {
            var baseline = File.ReadAllText(Path.Combine(folder, hintName + ".txt"));
            Assert.True(baseline == source, $"{hintName} differs from Baselines/{testName}/{hintName}.txt; run with {UpdateVariable}=1 to update and review the diff.\n--- generated ---\n{source}");
        }
    }
}
