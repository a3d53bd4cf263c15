using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Bitbucket.Cli.Generator.Emit;
using Bitbucket.Cli.Generator.Model;
using Bitbucket.Cli.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Bitbucket.Cli.Generator;

/// <summary>
/// Generates the Refit interface, the Cocona commands and the endpoint table from api-spec.json.
/// This class only wires the pipeline: parsing is <see cref="SpecParser"/>, emitting is <see cref="SpecEmitter"/>.
/// It reads the additional file and one build property, never the compilation, so editing C# code
/// does not re-run it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public const string SpecFileName = "api-spec.json";
    public const string NamespaceProperty = "build_property.BbSpecNamespace";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(file.Path), SpecFileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => (file.Path, Text: file.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.SpecFiles)
            .Select(static (file, ct) => SpecParser.Parse(file.Path, file.Text ?? string.Empty, ct))
            .WithTrackingName(TrackingNames.ParseResults);

        var selected = parsed
            .Collect()
            .Select(static (results, _) => SelectSpec(results))
            .WithTrackingName(TrackingNames.SelectedSpec);

        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);

        var input = selected
            .Combine(options)
            .WithTrackingName(TrackingNames.GenerationInput);

        context.RegisterSourceOutput(input, static (spc, pair) => Execute(spc, pair.Left, pair.Right));
    }

    /// <summary>A project has one spec; a second one is an error rather than a clash of generated names.</summary>
    private static SelectedSpec SelectSpec(ImmutableArray<ParseResult> results)
    {
        if (results.Length == 0)
        {
            return new SelectedSpec(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        var first = results[0];
        var extra = results
            .Skip(1)
            .Select(r => DiagnosticInfo.Create(DiagnosticDescriptors.MultipleSpecFiles, null, first.Path, r.Path))
            .ToEquatableArray();
        return new SelectedSpec(first, extra);
    }

    private static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
    {
        if (!options.TryGetValue(NamespaceProperty, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return new GeneratorOptions(SpecEmitter.DefaultNamespace, null);
        }

        value = value.Trim();
        return Naming.IsValidNamespace(value)
            ? new GeneratorOptions(value, null)
            : new GeneratorOptions(
                SpecEmitter.DefaultNamespace,
                DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNamespace, null, value, SpecEmitter.DefaultNamespace));
    }

    private static void Execute(SourceProductionContext context, SelectedSpec selected, GeneratorOptions options)
    {
        if (selected.Result is not { } result)
        {
            return; // no api-spec.json in this project: nothing to generate
        }

        foreach (var diagnostic in result.Diagnostics.Concat(selected.Diagnostics))
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (options.Error is { } error)
        {
            context.ReportDiagnostic(error.ToDiagnostic());
        }

        try
        {
            foreach (var file in SpecEmitter.Emit(result.Spec, options.Namespace))
            {
                context.AddSource(file.HintName, SourceText.From(file.Source, System.Text.Encoding.UTF8));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, ex.GetType().Name + ": " + ex.Message));
        }
    }
}
