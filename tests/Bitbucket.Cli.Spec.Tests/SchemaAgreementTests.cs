using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// The schema (what editors check) and the generator (what the build checks) must reject the same
/// mistakes. Each file in SchemaCases/ is a small spec with one mistake ("x-case" says which): both
/// must reject it. A few mistakes need cross-references a JSON Schema cannot state; those live in
/// GeneratorOnlyCases/ and only the generator rejects them, while the schema accepts them:
/// <list type="bullet">
/// <item>a path placeholder without a path parameter, and a path parameter without a placeholder;</item>
/// <item>the same group + name twice (in one API), or two commands that make the same C# member;</item>
/// <item>an endpoint whose group is not declared under "groups";</item>
/// <item>the same parameter or body field twice;</item>
/// <item>a query parameter that would reuse one of bb's own options (--format, --query, ...);</item>
/// <item>an enum default that is not one of its values;</item>
/// <item>(v2) an endpoint of an API that "apis" does not declare, and an "option" that is one of bb's own.</item>
/// </list>
/// The reverse gap also exists on purpose: the schema asks for a non-blank, one-line summary and
/// group description, which the generator does not check.
/// </summary>
public sealed class SchemaAgreementTests
{
    public static TheoryData<string> SchemaCases() => Cases(TestPaths.SchemaCases);

    public static TheoryData<string> GeneratorOnlyCases() => Cases(TestPaths.GeneratorOnlyCases);

    [Fact]
    public void There_are_cases_for_every_kind_of_mistake()
    {
        Assert.True(SchemaCases().Count >= 20);
        Assert.True(GeneratorOnlyCases().Count >= 5);
    }

    [Fact]
    public void The_unbroken_base_case_is_accepted_by_both()
    {
        // Every case is this document with one thing broken (see SchemaCases/*.json, "x-case").
        const string valid = """
            {
              "specVersion": 1,
              "api": { "name": "Bitbucket", "baseUrl": "https://api.bitbucket.org" },
              "groups": { "repos": { "description": "Repositories" } },
              "endpoints": [
                {
                  "group": "repos", "name": "get", "method": "GET",
                  "path": "/2.0/repositories/{workspace}/{repo_slug}",
                  "summary": "Show one repository",
                  "parameters": [
                    { "name": "workspace", "in": "path" },
                    { "name": "repo_slug", "in": "path" },
                    { "name": "fields", "in": "query", "type": "string" }
                  ],
                  "body": { "kind": "json", "fields": [{ "name": "description", "type": "string" }] }
                }
              ]
            }
            """;
        Assert.Empty(SpecSchema.Validate(valid));
        Assert.Empty(GeneratorRunner.Run(valid).Diagnostics);
    }

    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void The_schema_rejects(string file)
    {
        Assert.NotEmpty(SpecSchema.Validate(Read(TestPaths.SchemaCases, file)));
    }

    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void The_generator_rejects(string file)
    {
        AssertGeneratorRejects(Read(TestPaths.SchemaCases, file));
    }

    [Theory]
    [MemberData(nameof(GeneratorOnlyCases))]
    public void Only_the_generator_rejects(string file)
    {
        var text = Read(TestPaths.GeneratorOnlyCases, file);
        Assert.Empty(SpecSchema.Validate(text));
        AssertGeneratorRejects(text);
    }

    private static void AssertGeneratorRejects(string text)
    {
        var errors = GeneratorRunner.Run(text).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Contains(errors, d => d.Id.StartsWith("BB", StringComparison.Ordinal));
    }

    private static TheoryData<string> Cases(string directory)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string Read(string directory, string file) => File.ReadAllText(Path.Combine(directory, file));
}
