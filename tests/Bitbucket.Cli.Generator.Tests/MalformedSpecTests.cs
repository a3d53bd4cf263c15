namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// The corpus in MalformedSpecs/: each file must give exactly the diagnostic recorded for it in
/// MalformedSpecs/expected.txt (id and 1-based line:column), and nothing else. Files are read as bytes
/// and decoded like the compiler does, so a byte-order mark or CRLF line endings count as they would.
/// </summary>
public sealed class MalformedSpecTests
{
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, expected) in Manifest())
        {
            data.Add(file, expected);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Each_broken_spec_gives_exactly_its_diagnostic(string file, string expected)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.MalformedSpecs, file));

        var result = GeneratorHarness.Run(new InMemoryAdditionalText(GeneratorHarness.SpecPath, bytes));

        Assert.Null(result.Exception);
        Assert.Equal([expected], result.Diagnostics.Select(GeneratorHarness.Describe));
        Assert.Contains("IBitbucketApi.g.cs", GeneratorHarness.Sources(result).Keys);
    }

    [Fact]
    public void The_manifest_lists_every_file_and_the_corpus_covers_every_spec_diagnostic()
    {
        var manifest = Manifest();
        var files = Directory.GetFiles(TestPaths.MalformedSpecs, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(files, manifest.Select(m => m.File).Order(StringComparer.Ordinal));
        Assert.True(manifest.Count >= 30);
        Assert.All(manifest, m => Assert.Matches(@"^\d\d-[a-z0-9-]+\.json$", m.File));

        // Not reachable from one file: two spec files, the namespace property, an internal error.
        string[] notFromAFile = ["BB0021", "BB0022", "BB0025"];
        var covered = manifest.Select(m => m.Expected.Split(' ')[0]).ToHashSet();
        Assert.All(DiagnosticDescriptors.All().Select(d => d.Id).Except(notFromAFile), id => Assert.Contains(id, covered));
    }

    private static List<(string File, string Expected)> Manifest()
        => File.ReadAllLines(Path.Combine(TestPaths.MalformedSpecs, "expected.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0], parts[1]))
            .ToList();
}
