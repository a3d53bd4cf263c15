using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>The pipeline must reuse its outputs when nothing it reads changed, and cache only plain data.</summary>
public sealed class IncrementalTests
{
    private static readonly string Spec = File.ReadAllText(TestPaths.Fixture("everything.json"));

    [Fact]
    public void Editing_csharp_code_reuses_every_step()
    {
        var compilation = GeneratorHarness.Compilation(CSharpSyntaxTree.ParseText("class A { }", GeneratorHarness.ParseOptions));
        var driver = GeneratorHarness.CreateDriver(new InMemoryAdditionalText(GeneratorHarness.SpecPath, Spec)).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", GeneratorHarness.ParseOptions)));
        var second = driver.GetRunResult().Results.Single();

        Assert.Equal(TrackingNames.All.Order(), second.TrackedSteps.Keys.Where(TrackingNames.All.Contains).Order());
        foreach (var name in TrackingNames.All)
        {
            var reasons = second.TrackedSteps[name].SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}"));
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        AssertPlainData(first);
    }

    [Fact]
    public void Changing_only_the_namespace_does_not_parse_again()
    {
        var spec = new InMemoryAdditionalText(GeneratorHarness.SpecPath, Spec);
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.CreateDriver(spec, "First.Ns").RunGenerators(compilation);

        driver = driver.WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider(new Dictionary<string, string> { [SpecGenerator.NamespaceProperty] = "Second.Ns" }))
            .RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.ParseResults].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(result.TrackedSteps[TrackingNames.Options].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("namespace Second.Ns;", GeneratorHarness.Sources(result)["IBitbucketApi.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_the_spec_parses_again()
    {
        var compilation = GeneratorHarness.Compilation();
        var original = new InMemoryAdditionalText(GeneratorHarness.SpecPath, Spec);
        var driver = GeneratorHarness.CreateDriver(original).RunGenerators(compilation);
        var edited = new InMemoryAdditionalText(GeneratorHarness.SpecPath, Spec.Replace("Page size", "Items per page", StringComparison.Ordinal));

        driver = driver.ReplaceAdditionalText(original, edited).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.ParseResults].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Items per page", GeneratorHarness.Sources(result)["GeneratedEndpoints.g.cs"], StringComparison.Ordinal);
    }

    /// <summary>Walks every tracked step's outputs: no symbol, syntax, compilation or Location may be cached.</summary>
    private static void AssertPlainData(GeneratorRunResult result)
    {
        foreach (var (name, steps) in result.TrackedSteps.Where(s => TrackingNames.All.Contains(s.Key)))
        {
            foreach (var (value, _) in steps.SelectMany(s => s.Outputs))
            {
                Walk(value, new HashSet<object>(ReferenceEqualityComparer.Instance), name);
            }
        }
    }

    private static void Walk(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or AdditionalText,
            $"{path} holds a {value.GetType().Name}; the incremental model must be plain data");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                Walk(item, seen, $"{path}[{i++}]");
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(value), seen, $"{path}.{field.Name}");
        }
    }
}
