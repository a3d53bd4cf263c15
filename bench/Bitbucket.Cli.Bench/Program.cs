using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// bench/run.sh drives this: `signing --out FILE` and `generator --spec FILE --out FILE`.
// Each writes one JSON object with its figures; run.sh puts them next to the peers' figures.
return args switch
{
    ["signing", "--out", var output] => Signing.Run(output),
    ["signing", "--print-header"] => Signing.PrintHeader(),
    ["generator", "--spec", var spec, "--out", var output] => GeneratorBench.Run(spec, output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bitbucket.Cli.Bench signing --out FILE | signing --print-header | generator --spec FILE --out FILE");
    return 2;
}

/// <summary>The request both signers sign (bench/peers/sign_timeit.py signs the same one).</summary>
public static class SigningInput
{
    public const string Url = "https://api.bitbucket.org/2.0/repositories/alice/demo/refs/branches?q=name+~+%22feature%22&pagelen=100";
    public const string Nonce = "kllo9940pd9333jh";
    public const long Timestamp = 1191242096;

    public static readonly Uri Uri = new(Url);

    public static readonly OAuthCredentials Credentials = new(
        "bb-local", "bb-local-secret", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", SignatureMethod.HmacSha1);
}

[MemoryDiagnoser]
public class SigningBenchmarks
{
    [Benchmark]
    public string CreateAuthorizationHeader()
        => OAuthRequestSigner.CreateAuthorizationHeader("GET", SigningInput.Uri, null, SigningInput.Credentials, SigningInput.Nonce, SigningInput.Timestamp);
}

internal static class Signing
{
    /// <summary>run.sh checks that this header equals the one oauthlib makes, so both sign the same thing.</summary>
    public static int PrintHeader()
    {
        Console.WriteLine(new SigningBenchmarks().CreateAuthorizationHeader());
        return 0;
    }

    public static int Run(string output)
    {
        // In-process: no second build of a generated project, and about 30 s in all.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithId("InProcess");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);

        var summary = BenchmarkRunner.Run<SigningBenchmarks>(config);
        var report = summary.Reports.Single();
        if (report.ResultStatistics is null)
        {
            Console.Error.WriteLine("signing: the benchmark produced no result");
            return 1;
        }

        var meanNs = report.ResultStatistics.Mean;
        var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
        var result = new JsonObject
        {
            ["mean_ns"] = Math.Round(meanNs, 1),
            ["median_ns"] = Math.Round(report.ResultStatistics.Median, 1),
            ["min_ns"] = Math.Round(report.ResultStatistics.Min, 1),
            ["stddev_ns"] = Math.Round(report.ResultStatistics.StandardDeviation, 1),
            ["ops_per_s"] = Math.Round(1e9 / meanNs),
            ["allocated_bytes"] = allocated,
            ["gen0_per_1000"] = report.GcStats.Gen0Collections * 1000.0 / report.GcStats.TotalOperations,
        };
        File.WriteAllText(output, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
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
