using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bitbucket.Cli.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// bench/run.sh drives this: `generator --spec FILE --out FILE` writes one JSON object with its figures.
// (The in-process signing benchmark is retired: docs/benchmarks.md, "One signer".)
return args switch
{
    ["generator", "--spec", var spec, "--out", var output] => GeneratorBench.Run(spec, output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bitbucket.Cli.Bench generator --spec FILE --out FILE");
    return 2;
}

internal static class GeneratorBench
{
    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    public static int Run(string specPath, string output)
    {
        var specText = File.ReadAllText(specPath);
        var operations = JsonNode.Parse(specText)!["endpoints"]!.AsArray().Count;
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, specText);
        var compilation = CSharpCompilation.Create(
            "Bitbucket.Cli.Api",
            [CSharpSyntaxTree.ParseText("namespace Bench; internal static class A { }", ParseOptions)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        // First run in the process: includes JIT of the generator, like the first build after a restart
        // of the compiler server.
        var watch = Stopwatch.StartNew();
        var first = CreateDriver(spec, track: false).RunGenerators(compilation);
        var firstMs = watch.Elapsed.TotalMilliseconds;
        var sources = first.GetRunResult().Results.Single().GeneratedSources;
        var diagnostics = first.GetRunResult().Results.Single().Diagnostics;
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Console.Error.WriteLine($"generator: the spec has errors: {diagnostics.First(d => d.Severity == DiagnosticSeverity.Error)}");
            return 1;
        }

        for (var i = 0; i < 3; i++)
        {
            CreateDriver(spec, track: false).RunGenerators(compilation);
        }

        // A full run: a fresh driver parses the spec and emits every file (what a clean build does).
        const int runs = 25;
        var full = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            watch.Restart();
            CreateDriver(spec, track: false).RunGenerators(compilation);
            full.Add(watch.Elapsed.TotalMilliseconds);
        }

        // An unrelated edit: a C# file changes (what happens on every keystroke in the IDE), and,
        // separately, another additional file appears. Every tracked step should be Cached or Unchanged.
        var baseline = CreateDriver(spec, track: true).RunGenerators(compilation);
        var edits = new (string Name, Func<GeneratorDriver, GeneratorDriver> Apply)[]
        {
            ("csharp_edit", d => d.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Bench; internal static class B { }", ParseOptions)))),
            ("other_additional_file", d => d.AddAdditionalTexts([new InMemoryAdditionalText("/repo/notes.txt", "unrelated")]).RunGenerators(compilation)),
        };

        var incremental = new JsonObject();
        foreach (var (name, apply) in edits)
        {
            watch.Restart();
            var after = apply(baseline);
            var ms = watch.Elapsed.TotalMilliseconds;
            var result = after.GetRunResult().Results.Single();
            var reasons = result.TrackedSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
            var outputReasons = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
            var reused = reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
            incremental[name] = new JsonObject
            {
                ["ms"] = Math.Round(ms, 2),
                ["steps"] = reasons.Count,
                ["cached_or_unchanged"] = reused,
                ["share"] = reasons.Count == 0 ? 0 : Math.Round((double)reused / reasons.Count, 4),
                ["output_steps"] = outputReasons.Count,
                ["output_cached"] = outputReasons.Count(r => r == IncrementalStepRunReason.Cached),
                ["by_step"] = new JsonObject(result.TrackedSteps.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
                    KeyValuePair.Create(s.Key, (JsonNode?)string.Join(",", s.Value.SelectMany(step => step.Outputs).Select(o => o.Reason.ToString()).Distinct())))),
            };
        }

        full.Sort();
        var json = new JsonObject
        {
            ["operations"] = operations,
            ["generated_files"] = sources.Length,
            ["generated_chars"] = sources.Sum(s => s.SourceText.Length),
            ["first_run_ms"] = Math.Round(firstMs, 1),
            ["runs"] = runs,
            ["median_ms"] = Math.Round(full[runs / 2], 2),
            ["min_ms"] = Math.Round(full[0], 2),
            ["max_ms"] = Math.Round(full[^1], 2),
            ["incremental"] = incremental,
        };
        File.WriteAllText(output, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(json.ToJsonString());
        return 0;
    }

    /// <summary>The tests' in-memory driver (tests/Bitbucket.Cli.TestSupport), with the namespace the Api project sets.</summary>
    private static GeneratorDriver CreateDriver(AdditionalText spec, bool track)
        => GeneratorHarness.CreateDriver(spec, "Bitbucket.Cli.Api", trackSteps: track);
}
