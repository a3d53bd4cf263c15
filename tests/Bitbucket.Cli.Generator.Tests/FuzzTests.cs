using System.Security.Cryptography;
using System.Text;
using Bitbucket.Cli.Generator.Parsing;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// Time-boxed mutation fuzzing of the spec parser, on top of the fixed-count <see cref="CrashSafetyTests"/>.
/// The normal run fuzzes a few seconds; the documented long run is
/// <c>BB_FUZZ_SECONDS=600 dotnet test tests/Bitbucket.Cli.Generator.Tests --filter FullyQualifiedName~FuzzTests</c>
/// (<c>BB_FUZZ_SEED</c> repeats a run). The duration bounds the loop; nothing asserts on speed.
/// Crashing inputs are saved to FuzzRegressions/ and replayed forever after.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string RegressionDir = TestPaths.FuzzRegressions;

    [Fact]
    public void Mutations_of_the_spec_never_crash_the_parser()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("BB_FUZZ_SECONDS"), out var s) ? s : 3;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BB_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Environment.TickCount;
        var random = new Random(seed);
        var corpus = new[] { File.ReadAllText(TestPaths.RealSpec), GeneratedCode.SpecText("fixture") };
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var runs = 0;
        var crashes = new List<string>();
        while (DateTime.UtcNow < until || runs < 200)
        {
            var text = CrashSafetyTests.Mutate(corpus[runs % corpus.Length], random);
            if (Crashes(text) is { } reason)
            {
                crashes.Add(Save(text) + ": " + reason);
            }

            runs++;
        }

        Console.WriteLine($"fuzz: {runs} inputs in {seconds} s (seed {seed}), {crashes.Count} crashes");
        Assert.True(crashes.Count == 0, $"seed {seed}: " + string.Join("\n", crashes));
    }

    [Fact]
    public void Every_saved_crash_is_now_handled()
    {
        foreach (var file in Directory.EnumerateFiles(RegressionDir, "*.json"))
        {
            Assert.Null(Crashes(File.ReadAllText(file)));
        }
    }

    private static string? Crashes(string text)
    {
        try
        {
            var result = SpecParser.Parse("api-spec.json", text);
            return result.Diagnostics.Any(d => d.Id == DiagnosticDescriptors.InternalError.Id) ? "internal error diagnostic" : null;
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static string Save(string text)
    {
        var name = "crash-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant() + ".json";
        File.WriteAllText(Path.Combine(RegressionDir, name), text);
        return name;
    }
}
