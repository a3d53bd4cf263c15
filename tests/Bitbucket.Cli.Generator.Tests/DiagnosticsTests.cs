using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// One test per diagnostic id: the id, and the exact line and column (1-based, as MSBuild prints
/// them). The expected position is marked with ⟦ in the spec text; the marker is removed before the
/// generator runs.
/// </summary>
public sealed class DiagnosticsTests
{
    private const string Marker = "⟦";

    public static TheoryData<string, string> Cases => new()
    {
        { "BB0001", "{ \"specVersion\": 1⟦, }" },
        { "BB0002", SpecBuilder.WithEndpoints("""
            ⟦{ "group": "repos", "name": "list", "method": "GET", "path": "/2.0/x" }
            """) },
        { "BB0003", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint().Replace("\"GET\"", "⟦\"get\"", StringComparison.Ordinal)) },
        { "BB0004", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/repositories/{workspace}/⟦{repo_slug}")) },
        { "BB0005", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/repositories", parameters: """[ { "name": ⟦"workspace", "in": "path" } ]""")) },
        { "BB0006", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(), SpecBuilder.Endpoint().Replace("\"list\"", "⟦\"list\"", StringComparison.Ordinal)) },
        { "BB0007", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint().Replace("\"list\"", "⟦\"List\"", StringComparison.Ordinal)) },
        { "BB0008", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", "type": ⟦"int" } ]""")) },
        { "BB0009", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "x", "in": ⟦"cookie" } ]""")) },
        { "BB0010", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"paginated\": ⟦\"yes\"")) },
        { "BB0011", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "x", "in": "query", "type": ⟦"enum" } ]""")) },
        { "BB0012", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint().Replace("\"repos\"", "⟦\"repo\"", StringComparison.Ordinal)) },
        { "BB0013", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"body\": { \"kind\": ⟦\"xml\" }")) },
        { "BB0014", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "q", "in": "query" }, { "name": ⟦"q", "in": "query" } ]""")) },
        { "BB0015", WithGroups(
            "\"pull\": { \"description\": \"p\" }",
            """{ "group": "pull-requests", "name": "list", "method": "GET", "path": "/2.0/a", "summary": "s" }""",
            """{ "group": "pull", "name": ⟦"requests-list", "method": "GET", "path": "/2.0/b", "summary": "s" }""") },
        { "BB0016", "{ \"specVersion\": ⟦3, \"api\": {}, \"groups\": {}, \"endpoints\": [] }" },
        { "BB0017", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "n", "in": "query", "type": "integer", "default": ⟦"ten" } ]""")) },
        { "BB0018", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "2.0/x", parameters: "[]").Replace("\"2.0/x\"", "⟦\"2.0/x\"", StringComparison.Ordinal)) },
        { "BB0019", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint().Replace("\"summary\"", "⟦\"sumary\"", StringComparison.Ordinal)) },
        { "BB0020", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"paginated\": true, ⟦\"paginated\": false")) },
        { "BB0023", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"https://api.bitbucket.org\"", "⟦\"https://api.bitbucket.org/\"", StringComparison.Ordinal) },
        { "BB0024", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", "required": ⟦false } ]""")) },
        { "BB0026", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "ref", "in": "query", ⟦"slashes": true } ]""")) },
        { "BB0027", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": ⟦"timeout", "in": "query" } ]""")) },
        { "BB0028", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/repositories/{workspace}/⟦{repo_slug}", parameters: """[ { "name": "workspace", "in": "path" }, { "name": "repo_slug", "in": "query" } ]""")) },
        { "BB0029", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/repositories/⟦{workspace")) },
        { "BB0030", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/repositories/{workspace}/⟦{}")) },
        { "BB0031", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": ⟦"__", "in": "query" } ]""")) },
        { "BB0032", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"body\": { \"kind\": \"json\", \"fields\": [ { \"name\": ⟦\"a..b\" } ] }")) },
        { "BB0033", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", ⟦"values": ["a"] } ]""")) },
        { "BB0034", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "s", "in": "query", "type": "enum", "values": ["a", ⟦"a"] } ]""")) },
        { "BB0035", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"body\": { \"kind\": \"none\", ⟦\"fields\": [ { \"name\": \"a\" } ] }")) },
        { "BB0036", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"body\": { \"kind\": \"json\", \"fields\": [ { \"name\": \"a\" }, { \"name\": ⟦\"a\" } ] }")) },
        { "BB0037", SpecBuilder.WithEndpoints(
            """{ "group": "pull-requests", "name": "list", "method": "GET", "path": "/2.0/a", "summary": "s" }""",
            """{ "group": "pull-requests", "name": "list-x", "method": "GET", "path": "/2.0/b", "summary": "s", "parameters": [ { "name": "repo_slug", "in": "query" }, { "name": ⟦"repo-slug", "in": "query" } ] }""") },
        { "BB0038", WithGroups("⟦\"generated\": { \"description\": \"g\" }", SpecBuilder.Endpoint()) },
        { "BB0039", WithGroups("\"a1b\": { \"description\": \"a\" }, ⟦\"a-1b\": { \"description\": \"b\" }", SpecBuilder.Endpoint()) },
        { "BB0040", WithGroups(
            "\"default\": { \"description\": \"d\" }",
            """{ "group": "default", "name": ⟦"base-url", "method": "GET", "path": "/2.0/a", "summary": "s" }""") },
        { "BB0041", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint().Replace("\"list\"", "⟦\"repos-commands\"", StringComparison.Ordinal)) },
        { "BB0042", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", "default": ⟦"w" } ]""")) },
        { "BB0043", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "n", "in": "query", "required": true, "default": ⟦"x" } ]""")) },
        { "BB0044", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "s", "in": "query", "type": "enum", "values": ["a"], "default": ⟦"b" } ]""")) },
        { "BB0045", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": "n", "in": "query", "type": "integer", "default": ⟦99999999999999999999 } ]""")) },
        { "BB0046", SpecV2.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"datacenter\": {", "⟦\"data-center\": {", StringComparison.Ordinal) },
        { "BB0047", SpecV2.WithApis(SpecV2.CloudApi, SpecV2.DataCenterEndpoint().Replace("\"api\": \"datacenter\"", "\"api\": ⟦\"datacenter\"", StringComparison.Ordinal)) },
        { "BB0048", SpecV2.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"paging\": \"start-limit\"", "\"paging\": ⟦\"offset\"", StringComparison.Ordinal) },
        { "BB0049", SpecV2.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"RSA-SHA1\"", "⟦\"RSA-SHA256\"", StringComparison.Ordinal) },
        { "BB0050", SpecV2.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"/2.0/user\"", "⟦\"2.0/user\"", StringComparison.Ordinal) },
        { "BB0051", SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(parameters: """[ { "name": "project_key", "in": "path" }, { "name": "limit", "in": "query", "option": ⟦"--page-size" } ]""")) },
        { "BB0052", SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(parameters: """[ { "name": "project_key", "in": "path", ⟦"option": "project" } ]""")) },
        { "BB0053", SpecV2.WithApis(string.Empty, SpecBuilder.Endpoint()).Replace("\"apis\": {", "\"apis\": ⟦{", StringComparison.Ordinal) },
        { "BB0054", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "⟦\"api\": \"cloud\"")) },
        { "BB0055", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(extra: "\"description\": \"Caf⟦\uFFFD\"")) },
        { "BB0056", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path" }, { "name": ⟦"ünï_cöde", "in": "query" } ]""")) },
        { "BB0057", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", "context": ⟦"workspace" } ]""")) },
        { "BB0058", SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/repositories/{workspace}/{repo_slug}", parameters: """[ { "name": ⟦"workspace", "in": "path", "context": "owner" }, { "name": "repo_slug", "in": "path" } ]""")) },
    };

    [Fact]
    public void Every_descriptor_with_a_position_has_a_case()
    {
        string[] withoutPosition = ["BB0021", "BB0022", "BB0025"];
        var covered = Cases.Select(c => (string)c[0]).ToHashSet();

        Assert.All(DiagnosticDescriptors.All().Select(d => d.Id).Except(withoutPosition), id => Assert.Contains(id, covered));
    }

    [Fact]
    public void Every_message_has_its_text_in_the_descriptor_not_only_placeholders()
    {
        var bare = DiagnosticDescriptors.All()
            .Where(d => System.Text.RegularExpressions.Regex.Replace(d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), @"\{\d+\}", string.Empty).Trim().Length < 10)
            .Select(d => d.Id);

        Assert.Empty(bare);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_mistake_is_one_error_at_the_offending_token(string id, string markedSpec)
    {
        var (spec, line, column) = Unmark(markedSpec);

        var result = GeneratorHarness.Run(spec);

        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal($"{id} {line}:{column}", GeneratorHarness.Describe(diagnostic));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(GeneratorHarness.SpecPath, diagnostic.Location.GetLineSpan().Path);
    }

    [Theory]
    [InlineData("query", "true")]
    [InlineData("header", "false")]
    public void Slashes_on_a_query_or_header_parameter_points_at_the_key(string location, string value)
    {
        var (spec, line, column) = Unmark(SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: $$"""[ { "name": "workspace", "in": "path" }, { "name": "at", "in": "{{location}}", ⟦"slashes": {{value}} } ]""")));

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal($"BB0026 {line}:{column}", GeneratorHarness.Describe(diagnostic));
        Assert.Equal(
            $"\"slashes\" applies only to path parameters, and \"at\" is a {location} parameter; remove \"slashes\", or change \"in\" to \"path\"",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Slashes_that_is_not_a_boolean_is_a_wrong_json_type()
    {
        var (spec, line, column) = Unmark(SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(parameters: """[ { "name": "workspace", "in": "path", "slashes": ⟦"yes" } ]""")));

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal($"BB0010 {line}:{column}", GeneratorHarness.Describe(diagnostic));
    }

    [Fact]
    public void An_invalid_group_key_is_reported_once_at_the_key_and_its_endpoints_are_skipped_quietly()
    {
        var (spec, line, column) = Unmark(SpecBuilder.WithEndpoints(
                """{ "group": "Bad_Group", "name": "a", "method": "GET", "path": "/2.0/a", "summary": "s" }""",
                """{ "group": "Bad_Group", "name": "b", "method": "GET", "path": "/2.0/b", "summary": "s" }""",
                SpecBuilder.Endpoint())
            .Replace("\"repos\": {", "⟦\"Bad_Group\": { \"description\": \"x\" },\n    \"repos\": {", StringComparison.Ordinal));

        var result = GeneratorHarness.Run(spec);

        Assert.Equal([$"BB0007 {line}:{column}"], result.Diagnostics.Select(GeneratorHarness.Describe));
        Assert.Contains("ReposCommands.g.cs", GeneratorHarness.Sources(result).Keys);
    }

    [Fact]
    public void A_misspelled_required_key_is_one_unknown_key_error_not_also_a_missing_field()
    {
        var spec = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"endpoints\"", "\"endpionts\"", StringComparison.Ordinal);

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal("BB0019", diagnostic.Id);
        Assert.Contains("did you mean \"endpoints\"?", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_spec_version_is_one_error_however_different_the_rest_is()
    {
        var result = GeneratorHarness.Run("""{ "specVersion": 3, "commands": [], "endpoints": {} }""");

        Assert.Equal(["BB0016 1:18"], result.Diagnostics.Select(GeneratorHarness.Describe));
    }

    [Fact]
    public void A_broken_groups_section_does_not_make_every_endpoint_fail()
    {
        var spec = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"groups\": {", "\"groups\": [], \"x-old\": {", StringComparison.Ordinal);

        var result = GeneratorHarness.Run(spec);

        Assert.Equal(["BB0010"], result.Diagnostics.Select(d => d.Id));
        Assert.Contains("ReposCommands.g.cs", GeneratorHarness.Sources(result).Keys);
    }

    [Fact]
    public void A_bad_endpoint_is_left_out_and_the_others_are_still_generated()
    {
        var spec = SpecBuilder.WithEndpoints(
            SpecBuilder.Endpoint("first"),
            SpecBuilder.Endpoint("broken").Replace("\"GET\"", "\"FETCH\"", StringComparison.Ordinal),
            SpecBuilder.Endpoint("third"));

        var result = GeneratorHarness.Run(spec);

        Assert.Equal(["BB0003"], result.Diagnostics.Select(d => d.Id));
        var commands = GeneratorHarness.Sources(result)["ReposCommands.g.cs"];
        Assert.Contains("First(", commands, StringComparison.Ordinal);
        Assert.Contains("Third(", commands, StringComparison.Ordinal);
        Assert.DoesNotContain("Broken(", commands, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_still_emits_the_fixed_files_so_only_the_json_error_shows()
    {
        var result = GeneratorHarness.Run("{");

        Assert.Equal(["BB0001"], result.Diagnostics.Select(d => d.Id));
        Assert.Equal(["GeneratedApis.g.cs", "GeneratedCommands.g.cs", "GeneratedEndpoints.g.cs", "IBitbucketApi.g.cs"], GeneratorHarness.Sources(result).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_second_spec_file_is_an_error_and_the_first_one_is_used()
    {
        var spec = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint());
        var driver = GeneratorHarness.CreateDriver([new InMemoryAdditionalText("/a/api-spec.json", spec), new InMemoryAdditionalText("/b/API-SPEC.json", spec)]);

        var result = driver.RunGenerators(GeneratorHarness.Compilation()).GetRunResult().Results.Single();

        Assert.Equal(["BB0021"], result.Diagnostics.Select(d => d.Id));
        Assert.Contains("ReposCommands.g.cs", GeneratorHarness.Sources(result).Keys);
    }

    [Fact]
    public void Other_additional_files_are_ignored()
    {
        var result = GeneratorHarness.Run("not json", path: "/repo/other.json");

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("My.Api", null)]
    [InlineData("", null)]
    [InlineData("My.class.Api", "BB0022")]
    [InlineData("My..Api", "BB0022")]
    [InlineData("1Api", "BB0022")]
    public void The_namespace_property_must_be_a_namespace(string ns, string? id)
    {
        var result = GeneratorHarness.Run(SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()), ns);

        Assert.Equal(id is null ? [] : [id], result.Diagnostics.Select(d => d.Id));
        var expected = id is null && ns.Length > 0 ? ns : "Bitbucket.Cli.Api";
        Assert.Contains($"namespace {expected};", GeneratorHarness.Sources(result)["IBitbucketApi.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_descriptor_is_an_error_in_the_BbSpec_category_with_a_unique_id()
    {
        var all = DiagnosticDescriptors.All();

        Assert.Equal(all.Count, all.Select(d => d.Id).Distinct().Count());
        Assert.All(all, d => Assert.Equal((DiagnosticSeverity.Error, "BbSpec"), (d.DefaultSeverity, d.Category)));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => $"BB{i:0000}"), all.Select(d => d.Id));
    }

    [Fact]
    public void The_diagnostics_doc_lists_every_id()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "generator-diagnostics.md"));

        Assert.All(DiagnosticDescriptors.All(), d => Assert.Contains($"| {d.Id} |", doc, StringComparison.Ordinal));
    }

    /// <summary>A spec with more groups declared before the usual ones.</summary>
    private static string WithGroups(string groups, params string[] endpoints)
        => SpecBuilder.WithEndpoints(endpoints).Replace("\"groups\": {", "\"groups\": {\n    " + groups + ",", StringComparison.Ordinal);

    /// <returns>The spec without the marker, and the marker's 1-based line and column.</returns>
    private static (string Spec, int Line, int Column) Unmark(string marked)
    {
        var index = marked.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(index >= 0, "the test spec needs a ⟦ marker");
        var before = marked[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (marked.Remove(index, Marker.Length), line, column);
    }
}
