using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;
using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// The whole reference document (256 operations) imported into an empty spec: nothing skipped, the
/// generator accepts it without a diagnostic, and what it emits compiles without a warning. How long
/// the generator takes at this size is measured by bench/run.sh (docs/benchmarks.md), not here.
/// </summary>
public sealed class ScaleTests
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
        var (result, compilation) = GeneratorHarness.RunAndCompile(Imported.Value.Spec);
        Assert.Empty(result.Diagnostics.Select(GeneratorHarness.Explain));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorHarness.Explain));

        var api = compilation.GetTypeByMetadataName("Bitbucket.Cli.Api.IBitbucketApi");
        Assert.NotNull(api);
        var refitMethods = api.GetMembers().OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.BaseType?.ToDisplayString() == "Refit.HttpMethodAttribute"));
        Assert.Equal(ReferenceOperations, refitMethods);

        var commands = compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Cocona.CommandAttribute"));
        Assert.Equal(ReferenceOperations, commands);
    }
}
