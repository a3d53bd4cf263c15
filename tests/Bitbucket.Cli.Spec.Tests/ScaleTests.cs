using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// The whole reference document (256 operations) imported into an empty spec: nothing skipped, the
/// generator accepts it without a diagnostic, and what it emits compiles without a warning.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    public const int ReferenceOperations = 256;

    /// <summary>The import every scale test uses, made once.</summary>
    internal static Lazy<(string Spec, IReadOnlyList<ReportLine> Report)> Imported { get; } = new(() =>
    {
        var import = OpenApiImporter.Import(OpenApiLoader.Parse(File.ReadAllText(TestPaths.ReferenceOpenApi)), ImportOptions.All);
        var merged = SpecMerger.Merge(null, import, ImportOptions.All);
        return (SpecWriter.Write(merged.Spec), [.. import.Report, .. merged.Report]);
    });

    [Fact]
    public void The_reference_document_imports_completely()
    {
        var (spec, report) = Imported.Value;
        Assert.Empty(report.Where(r => r.Kind == ReportKind.Skipped).Select(r => r.ToString()));
        Assert.Equal(ReferenceOperations, report.Count(r => r.Kind == ReportKind.Imported));
        Assert.Equal(ReferenceOperations, JsonNode.Parse(spec)!["endpoints"]!.AsArray().Count);
        Assert.Empty(SpecSchema.Validate(spec));
    }

    [Fact]
    public void The_generator_accepts_the_import_and_its_output_compiles()
    {
        var (diagnostics, sources) = GeneratorRunner.Run(Imported.Value.Spec);
        Assert.Empty(diagnostics.Select(GeneratorRunner.Describe));

        var compilation = GeneratorRunner.Compile(sources.Values);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorRunner.Describe));

        var api = compilation.GetTypeByMetadataName("Bitbucket.Cli.Api.IBitbucketApi");
        Assert.NotNull(api);
        var refitMethods = api.GetMembers().OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.BaseType?.ToDisplayString() == "Refit.HttpMethodAttribute"));
        Assert.Equal(ReferenceOperations, refitMethods);

        var commands = compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Cocona.CommandAttribute"));
        Assert.Equal(ReferenceOperations, commands);
    }

    /// <summary>Not an assertion: prints how long the generator takes at this size.</summary>
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Generator_time_at_256_operations()
    {
        var spec = Imported.Value.Spec;
        var compilation = GeneratorRunner.EmptyCompilation();
        GeneratorRunner.CreateDriver(spec).RunGenerators(compilation); // warm-up (JIT)

        const int runs = 20;
        var cold = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            GeneratorRunner.CreateDriver(spec).RunGenerators(compilation);
            cold.Add(watch.Elapsed.TotalMilliseconds);
        }

        var driver = GeneratorRunner.CreateDriver(spec).RunGenerators(compilation);
        var warm = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generator, {ReferenceOperations} operations, {spec.Length / 1024} KiB spec, {runs} runs each"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  full run (parse + emit): median {Median(cold):F1} ms, min {cold.Min():F1} ms, max {cold.Max():F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  re-run, spec unchanged:  median {Median(warm):F2} ms, min {warm.Min():F2} ms, max {warm.Max():F2} ms"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
