using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// Imports Atlassian's whole Data Center 9.2 OpenAPI document and builds the result. The document is
/// not part of the repository: it is read from <c>../shared/reference/</c> beside the checkout (or
/// beside any directory above it, so a worktree under the checkout's parent finds it too), and the
/// tests are reported as skipped, with the path looked for, when it is absent.
/// </summary>
public sealed class DataCenterImportReferenceTests(ITestOutputHelper output)
{
    /// <summary>Operations in the 9.2 document (every method under every path).</summary>
    public const int ReferenceOperations = 516;

    /// <summary>Names may have this many words at most (most have three or fewer: see the output).</summary>
    public const int MaxWords = 4;

    private static string ReferencePath => TestPaths.DataCenterReference;

    private static readonly Lazy<(ImportResult Import, MergeResult Merged, string Spec)> Imported = new(() =>
    {
        var import = OpenApiImporter.Import(OpenApiLoader.Parse(File.ReadAllText(ReferencePath)), ImportOptions.All);
        var merged = SpecMerger.Merge(null, import, ImportOptions.All);
        return (import, merged, SpecWriter.Write(merged.Spec));
    });

    [DataCenterReferenceFact]
    public void Every_operation_is_imported_or_skipped_with_a_reason()
    {
        var (import, merged, spec) = Imported.Value;
        var skipped = import.Report.Where(r => r.Kind == ReportKind.Skipped).ToList();
        foreach (var line in skipped)
        {
            output.WriteLine(line.ToString());
        }

        Assert.Equal(ReferenceOperations, import.Selected);
        Assert.Equal(ReferenceOperations, import.Operations.Count + skipped.Count);
        // What may be skipped: request bodies the spec format cannot send (multipart uploads, */*).
        Assert.All(skipped, s => Assert.Matches("^request body type (multipart/form-data|\\*/\\*) is not supported", s.Message));
        Assert.Equal(import.Operations.Count, merged.Report.Count(r => r.Kind == ReportKind.Imported));

        var endpoints = JsonNode.Parse(spec)!["endpoints"]!.AsArray();
        Assert.Equal(import.Operations.Count, endpoints.Count);
        Assert.All(endpoints, e => Assert.Equal("datacenter", (string?)e!["api"]));
        Assert.All(endpoints, e => Assert.StartsWith("/rest/", (string?)e!["path"], StringComparison.Ordinal));
        // Every start/limit operation is a page with --page-size, and none still offers --start.
        Assert.All(endpoints, e => Assert.DoesNotContain(e!["parameters"]?.AsArray() ?? [], p => (string?)p!["name"] == "start" && (string?)p["in"] == "query"));
        var pages = import.Report.Count(r => r.Kind == ReportKind.Fixed && r.Message.StartsWith("start/limit paging", StringComparison.Ordinal));
        output.WriteLine($"{pages} start/limit lists");
        Assert.InRange(pages, 1, endpoints.Count);
        Assert.Equal(pages, endpoints.Count(e => (bool?)e!["paginated"] == true));
    }

    [DataCenterReferenceFact]
    public void The_generator_accepts_the_import_and_its_output_compiles_warning_free()
    {
        var (import, _, spec) = Imported.Value;
        var run = GeneratorRunner.Run(spec);
        var (diagnostics, sources) = (run.Diagnostics, GeneratorRunner.Sources(run));
        Assert.Empty(diagnostics.Select(GeneratorRunner.Describe));

        var compilation = GeneratorRunner.Compile(sources.Values);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorRunner.Describe));
        Assert.Equal(import.Operations.Count, DataCenterImportTests.CountCommands(compilation));
    }

    [DataCenterReferenceFact]
    public void Command_names_are_readable()
    {
        var endpoints = JsonNode.Parse(Imported.Value.Spec)!["endpoints"]!.AsArray()
            .Select(e => (Group: (string)e!["group"]!, Name: (string)e["name"]!, Path: (string)e["path"]!))
            .ToList();
        foreach (var group in endpoints.GroupBy(e => e.Group).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
        }

        var words = endpoints.Select(e => e.Name.Split('-').Length).ToList();
        output.WriteLine($"words per name: {string.Join(", ", words.GroupBy(w => w).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}");

        Assert.All(endpoints, e => Assert.True(e.Name.Split('-').Length <= MaxWords, $"{e.Group} {e.Name} ({e.Path}) is longer than {MaxWords} words"));
        // The REST area and version never leak in ("latest" alone is a real resource: webhooks/{id}/latest).
        Assert.All(endpoints, e => Assert.DoesNotContain("api-latest", e.Group + "-" + e.Name, StringComparison.Ordinal));
        Assert.All(endpoints, e => Assert.DoesNotContain("latest-", e.Group + "-" + e.Name, StringComparison.Ordinal));
        Assert.All(endpoints, e => Assert.False(e.Group == "api" || e.Name.StartsWith("api-", StringComparison.Ordinal), $"{e.Group} {e.Name}"));
        // Most names keep to three words; the few longer ones name an owner (get-repo-...) or a long resource.
        Assert.True(words.Count(w => w > 3) * 20 < words.Count, $"{words.Count(w => w > 3)} of {words.Count} names are longer than 3 words");
        // The commands people use most read as on Cloud.
        foreach (var command in new[] { "projects list", "repos list", "repos get", "prs list", "prs get", "prs create", "prs merge", "prs decline", "prs approve", "branches list", "commits list" })
        {
            Assert.Contains(command, endpoints.Select(e => e.Group + " " + e.Name));
        }

        Assert.Equal(endpoints.Count, endpoints.Select(e => e.Group + " " + e.Name).Distinct(StringComparer.Ordinal).Count());
    }
}
