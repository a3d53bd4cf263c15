using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Bitbucket.Cli.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// Runs the spec generator in process, as the compiler would, on an in-memory api-spec.json; and
/// compiles what it emits. A compact version of the generator tests' harness.
/// </summary>
internal static class GeneratorRunner
{
    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        .. new[]
        {
            typeof(Refit.GetAttribute).Assembly,
            typeof(Cocona.CommandAttribute).Assembly,
            typeof(Cocona.CoconaApp).Assembly,
            typeof(Bitbucket.Cli.Core.Commands.EndpointInfo).Assembly,
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly,
            typeof(Microsoft.Extensions.Hosting.IHost).Assembly,
        }.Distinct().Select(a => MetadataReference.CreateFromFile(a.Location)),
    ]);

    /// <summary>Generator diagnostics and generated sources (hint name → text) for one spec text.</summary>
    public static (ImmutableArray<Diagnostic> Diagnostics, IReadOnlyDictionary<string, string> Sources) Run(string specText)
    {
        var driver = CreateDriver(specText).RunGenerators(EmptyCompilation());
        var result = driver.GetRunResult().Results.Single();
        return (result.Diagnostics, result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal));
    }

    public static GeneratorDriver CreateDriver(string specText)
        => CSharpGeneratorDriver.Create(
            [new SpecGenerator().AsSourceGenerator()],
            [new SpecFile("/repo/api-spec.json", specText)],
            ParseOptions,
            new NoOptions());

    public static CSharpCompilation EmptyCompilation() => Compile([]);

    /// <summary>Compiles generated sources the way the Api project does (nullable, a library).</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources)
        => CSharpCompilation.Create(
            "Bitbucket.Cli.Api",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(SdkNoWarn));

    /// <summary>The SDK builds with /nowarn:1701,1702 (reference-version unification notes); so do we.</summary>
    private static readonly ImmutableDictionary<string, ReportDiagnostic> SdkNoWarn = ImmutableDictionary<string, ReportDiagnostic>.Empty
        .Add("CS1701", ReportDiagnostic.Suppress)
        .Add("CS1702", ReportDiagnostic.Suppress);

    public static string Describe(Diagnostic d) => $"{d.Id} {d.Location.GetLineSpan().StartLinePosition}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    private sealed class SpecFile(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class NoOptions : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Empty();

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Empty : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            {
                value = null;
                return false;
            }
        }
    }
}
