using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Bitbucket.Cli.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Bitbucket.Cli.TestSupport;

/// <summary>
/// Runs <see cref="SpecGenerator"/> the way the compiler does, on in-memory inputs, and compiles what it
/// emits the way the Api project does. The one in-memory driver of the generator tests, the spec tests
/// and the generator benchmark.
/// </summary>
public static class GeneratorHarness
{
    public const string SpecPath = "/repo/api-spec.json";

    public static CSharpParseOptions ParseOptions { get; } = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>
    /// How the generated code is compiled: a nullable library, every warning level on, and the SDK's
    /// /nowarn:1701,1702 (reference-version unification notes).
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999)
        .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    /// <summary>A compilation of <paramref name="trees"/> named like the Api project, with <see cref="CompileReferences.All"/>.</summary>
    public static CSharpCompilation Compilation(params SyntaxTree[] trees)
        => CSharpCompilation.Create("Bitbucket.Cli.Api", trees, CompileReferences.All, CompilationOptions);

    /// <summary>Compiles C# sources (typically the generated ones) as the Api project would.</summary>
    public static CSharpCompilation Compile(IEnumerable<string> sources)
        => Compilation([.. sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions))]);

    public static GeneratorDriver CreateDriver(AdditionalText spec, string? ns = null, bool trackSteps = true)
        => CreateDriver([spec], ns, trackSteps);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> specs, string? ns = null, bool trackSteps = true)
        => CSharpGeneratorDriver.Create(
            [new SpecGenerator().AsSourceGenerator()],
            specs,
            ParseOptions,
            new TestOptionsProvider(ns is null ? [] : new Dictionary<string, string> { [SpecGenerator.NamespaceProperty] = ns }),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once and returns its single result.</summary>
    public static GeneratorRunResult Run(string specText, string? ns = null, string path = SpecPath)
        => Run(new InMemoryAdditionalText(path, specText), ns);

    public static GeneratorRunResult Run(AdditionalText spec, string? ns = null)
    {
        var driver = CreateDriver(spec, ns).RunGenerators(Compilation());
        return driver.GetRunResult().Results.Single();
    }

    /// <summary>Hint name → generated source.</summary>
    public static IReadOnlyDictionary<string, string> Sources(GeneratorRunResult result)
        => result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>Runs the generator on <paramref name="specText"/> and compiles what it emitted, plus <paramref name="extraSources"/>.</summary>
    public static (GeneratorRunResult Result, CSharpCompilation Compilation) RunAndCompile(string specText, params string[] extraSources)
    {
        var result = Run(specText);
        var trees = result.GeneratedSources.Select(s => s.SyntaxTree)
            .Concat(extraSources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)));
        return (result, Compilation([.. trees]));
    }

    /// <summary>"BB0004 12:15" — id and 1-based line:column, as MSBuild prints them.</summary>
    public static string Describe(Diagnostic diagnostic)
    {
        if (diagnostic.Location == Location.None)
        {
            return diagnostic.Id;
        }

        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        return $"{diagnostic.Id} {start.Line + 1}:{start.Character + 1}";
    }

    /// <summary><see cref="Describe"/> plus the message and the file, for assertion output.</summary>
    public static string Explain(Diagnostic diagnostic)
        => $"{diagnostic.Location.GetLineSpan().Path} {Describe(diagnostic)}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";

    public static string ReadSpec(string path) => File.ReadAllText(path);
}

/// <summary>An additional file that lives in memory. From bytes, it decodes like the compiler (BOM detection).</summary>
public sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText text;

    public InMemoryAdditionalText(string path, string text)
    {
        Path = path;
        this.text = SourceText.From(text, Encoding.UTF8);
    }

    public InMemoryAdditionalText(string path, byte[] bytes)
    {
        Path = path;
        using var stream = new MemoryStream(bytes);
        this.text = SourceText.From(stream, Encoding.UTF8, canBeEmbedded: true);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => this.text;
}

/// <summary>Global analyzer options (MSBuild's build_property.* values); none per file.</summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globals);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static Options Empty { get; } = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>References for compiling generated code: the .NET 10 reference assemblies plus Refit, Cocona and Core.</summary>
public static class CompileReferences
{
    public static ImmutableArray<MetadataReference> All { get; } = Build();

    private static ImmutableArray<MetadataReference> Build()
    {
        var assemblies = new[]
        {
            typeof(Refit.GetAttribute).Assembly,
            typeof(Cocona.CommandAttribute).Assembly, // Cocona.Core
            typeof(Cocona.CoconaApp).Assembly,
            typeof(Bitbucket.Cli.Core.Commands.EndpointInfo).Assembly,
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly,
            typeof(Microsoft.Extensions.Hosting.IHost).Assembly,
        };
        return [.. Basic.Reference.Assemblies.Net100.References.All, .. assemblies.Distinct().Select(a => MetadataReference.CreateFromFile(a.Location))];
    }
}
