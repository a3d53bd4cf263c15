using System.Reflection;
using Bitbucket.Cli.Generator.Model;
using Bitbucket.Cli.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// Spec format v2: several APIs (<c>apis</c>), an endpoint's <c>api</c>, a parameter's <c>option</c>;
/// and a v1 spec still meaning one Cloud API with Cloud's defaults.
/// </summary>
public sealed class SpecV2Tests
{
    private static SpecModel ParseValid(string json)
    {
        var result = SpecParser.Parse("api-spec.json", json);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + string.Join(" | ", d.MessageArgs))));
        return result.Spec;
    }

    private static string BothFlavours => SpecV2.WithEndpoints(
        SpecBuilder.Endpoint(),
        SpecV2.DataCenterEndpoint(),
        SpecV2.DataCenterEndpoint(name: "get", path: "/rest/api/latest/projects/{project_key}/repos/{repo_slug}", parameters: """[ { "name": "project_key", "in": "path" }, { "name": "repo_slug", "in": "path" } ]"""));

    [Fact]
    public void Both_apis_are_read_with_every_value_cloud_first()
    {
        var spec = ParseValid(SpecV2.WithApis(SpecV2.DataCenterApi + ",\n" + SpecV2.CloudApi, SpecBuilder.Endpoint()));

        Assert.Equal(
            [
                new ApiModel(Flavor.Cloud, "Bitbucket Cloud", "https://api.bitbucket.org", Paging.NextLink, "/api/1.0/oauth/request_token", "/api/1.0/oauth/authenticate", "/api/1.0/oauth/access_token", "HmacSha1", "/2.0/user", null),
                new ApiModel(Flavor.DataCenter, "Bitbucket Data Center", null, Paging.StartLimit, "/plugins/servlet/oauth/request-token", "/plugins/servlet/oauth/authorize", "/plugins/servlet/oauth/access-token", "RsaSha1", "/plugins/servlet/applinks/whoami", "/rest/api/latest/application-properties"),
            ],
            spec.Apis);
        Assert.Equal("https://api.bitbucket.org", spec.DefaultBaseUrl);
    }

    [Fact]
    public void A_v1_spec_is_one_cloud_api_with_clouds_oauth_paths_current_user_and_next_paging()
    {
        var spec = ParseValid(SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()));

        var api = Assert.Single(spec.Apis);
        Assert.Equal(
            new ApiModel(Flavor.Cloud, "Bitbucket", "https://api.bitbucket.org", Paging.NextLink, "/api/1.0/oauth/request_token", "/api/1.0/oauth/authenticate", "/api/1.0/oauth/access_token", "HmacSha1", "/2.0/user", null),
            api);
        Assert.Equal(Flavor.Cloud, Assert.Single(spec.Endpoints).Flavor);
    }

    [Fact]
    public void An_endpoint_without_api_is_cloud_and_data_center_names_carry_a_prefix()
    {
        var spec = ParseValid(BothFlavours);

        Assert.Equal(
            [
                (Flavor.Cloud, "repos list", "ReposList", "List", "ReposCommands"),
                (Flavor.DataCenter, "repos list", "DataCenterReposList", "List", "DataCenterReposCommands"),
                (Flavor.DataCenter, "repos get", "DataCenterReposGet", "Get", "DataCenterReposCommands"),
            ],
            spec.Endpoints.Select(e => (e.Flavor, e.Group + " " + e.Name, e.MemberName, e.MethodName, e.ClassName)));
        Assert.Equal(
            [new GroupModel("repos", "Repositories", "ReposCommands", Flavor.Cloud), new GroupModel("repos", "Repositories", "DataCenterReposCommands", Flavor.DataCenter)],
            spec.Groups);
    }

    [Fact]
    public void A_group_used_only_by_data_center_has_no_cloud_class()
    {
        var spec = ParseValid(SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint()));

        var group = Assert.Single(spec.Groups);
        Assert.Equal((Flavor.DataCenter, "DataCenterReposCommands"), (group.Flavor, group.ClassName));
        Assert.Equal(["DataCenterReposCommands.g.cs", "GeneratedApis.g.cs", "GeneratedCommands.g.cs", "GeneratedEndpoints.g.cs", "IBitbucketApi.g.cs"], GeneratorHarness.Sources(GeneratorHarness.Run(SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint()))).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_same_command_twice_in_one_api_is_still_a_duplicate()
    {
        var result = GeneratorHarness.Run(SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(), SpecV2.DataCenterEndpoint()));

        Assert.Equal(["BB0006"], result.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void The_option_key_names_the_command_line_option_and_the_wire_name_stays()
    {
        var endpoint = Assert.Single(ParseValid(SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(
            parameters: """[ { "name": "project_key", "in": "path" }, { "name": "limit", "in": "query", "type": "integer", "option": "page-size" } ]""",
            extra: "\"paginated\": true"))).Endpoints);

        var limit = endpoint.Parameters.Single(p => p.Name == "limit");
        Assert.Equal(("limit", "page-size", "limit"), (limit.Name, limit.CliName, limit.Identifier));

        var sources = GeneratorHarness.Sources(GeneratorHarness.Run(SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(
            parameters: """[ { "name": "project_key", "in": "path" }, { "name": "limit", "in": "query", "type": "integer", "option": "page-size" } ]"""))));
        Assert.Contains("[global::Cocona.Option(\"page-size\"", sources["DataCenterReposCommands.g.cs"], StringComparison.Ordinal);
        Assert.Contains("[global::Refit.AliasAs(\"limit\"), global::Refit.Query] string? limit", sources["IBitbucketApi.g.cs"], StringComparison.Ordinal);
        Assert.Contains("new(Name: \"limit\", CliName: \"page-size\"", sources["GeneratedEndpoints.g.cs"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit", "page-size")]
    [InlineData("version", "api-version")]
    public void An_option_named_like_one_of_bbs_own_is_an_error_at_the_option_that_suggests_another(string option, string suggestion)
    {
        var spec = SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(
            parameters: $$"""[ { "name": "project_key", "in": "path" }, { "name": "size", "in": "query", "option": "{{option}}" } ]"""));

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal("BB0027", diagnostic.Id);
        Assert.Equal("\"" + option + "\"", spec.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains($"\"option\": \"{suggestion}\"", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_parameters_with_one_option_name_are_an_error_at_the_second_option()
    {
        var spec = SpecV2.WithEndpoints(SpecV2.DataCenterEndpoint(
            parameters: """[ { "name": "project_key", "in": "path" }, { "name": "page_size", "in": "query" }, { "name": "limit", "in": "query", "option": "page-size" } ]"""));

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal("BB0037", diagnostic.Id);
        Assert.Equal("\"page-size\"", spec.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void An_endpoint_without_api_in_a_spec_without_cloud_is_an_error_at_its_brace()
    {
        var spec = SpecV2.WithApis(SpecV2.DataCenterApi, SpecBuilder.Endpoint());

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal("BB0047", diagnostic.Id);
        Assert.Equal('{', spec[diagnostic.Location.SourceSpan.Start]);
        Assert.Contains("\"api\": \"datacenter\"", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apis_in_a_v1_spec_is_a_key_of_the_other_version()
    {
        var spec = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()).Replace("\"groups\": {", "\"apis\": {},\n  \"groups\": {", StringComparison.Ordinal);

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal("BB0054", diagnostic.Id);
        Assert.Equal("\"apis\"", spec.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void A_broken_api_entry_leaves_out_its_endpoints_quietly_and_keeps_the_other_api()
    {
        var spec = BothFlavours.Replace("\"paging\": \"start-limit\"", "\"paging\": \"pages\"", StringComparison.Ordinal);

        var result = GeneratorHarness.Run(spec);

        Assert.Equal(["BB0048"], result.Diagnostics.Select(d => d.Id));
        var parsed = SpecParser.Parse("api-spec.json", spec).Spec;
        Assert.Equal([Flavor.Cloud], parsed.Apis.Select(a => a.Flavor));
        Assert.Equal(["ReposList"], parsed.Endpoints.Select(e => e.MemberName));
    }

    [Fact]
    public void Registration_adds_each_flavours_groups_only_under_that_flavour()
    {
        var source = GeneratorHarness.Sources(GeneratorHarness.Run(BothFlavours))["GeneratedCommands.g.cs"];
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();

        var blocks = root.DescendantNodes().OfType<IfStatementSyntax>()
            .ToDictionary(i => i.Condition.ToString(), i => i.Statement.ToString());
        Assert.Equal(["flavor == global::Bitbucket.Cli.Core.ApiFlavor.Cloud", "flavor == global::Bitbucket.Cli.Core.ApiFlavor.DataCenter"], blocks.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("AddCommands<global::Bitbucket.Cli.Api.Commands.ReposCommands>", blocks["flavor == global::Bitbucket.Cli.Core.ApiFlavor.Cloud"], StringComparison.Ordinal);
        Assert.DoesNotContain("DataCenter", blocks["flavor == global::Bitbucket.Cli.Core.ApiFlavor.Cloud"], StringComparison.Ordinal);
        Assert.Contains("AddCommands<global::Bitbucket.Cli.Api.Commands.DataCenterReposCommands>", blocks["flavor == global::Bitbucket.Cli.Core.ApiFlavor.DataCenter"], StringComparison.Ordinal);
        Assert.DoesNotContain("Commands.ReposCommands>", blocks["flavor == global::Bitbucket.Cli.Core.ApiFlavor.DataCenter"], StringComparison.Ordinal);

        var overloads = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.Text == "Register").ToList();
        Assert.Equal(["(global::Cocona.Builder.ICoconaCommandsBuilder app, global::Bitbucket.Cli.Core.ApiFlavor flavor)"], overloads.Select(m => m.ParameterList.ToString()));
    }

    [Fact]
    public void The_generated_code_compiles_and_describes_apis_and_flavours_at_run_time()
    {
        var assembly = CompileAndLoad(BothFlavours);

        var apis = (IReadOnlyList<Bitbucket.Cli.Core.ApiDescription>)assembly.GetType("Bitbucket.Cli.Api.GeneratedApis", throwOnError: true)!
            .GetProperty("All")!.GetValue(null)!;
        Assert.Equal(
            [
                new(Bitbucket.Cli.Core.ApiFlavor.Cloud, "Bitbucket Cloud", "https://api.bitbucket.org", Bitbucket.Cli.Core.PagingStyle.NextLink, "/api/1.0/oauth/request_token", "/api/1.0/oauth/authenticate", "/api/1.0/oauth/access_token", Bitbucket.Cli.Core.OAuth.SignatureMethod.HmacSha1, "/2.0/user", null),
                new Bitbucket.Cli.Core.ApiDescription(Bitbucket.Cli.Core.ApiFlavor.DataCenter, "Bitbucket Data Center", null, Bitbucket.Cli.Core.PagingStyle.StartLimit, "/plugins/servlet/oauth/request-token", "/plugins/servlet/oauth/authorize", "/plugins/servlet/oauth/access-token", Bitbucket.Cli.Core.OAuth.SignatureMethod.RsaSha1, "/plugins/servlet/applinks/whoami", "/rest/api/latest/application-properties"),
            ],
            apis);

        var endpoints = (IReadOnlyList<Bitbucket.Cli.Core.Commands.EndpointInfo>)assembly.GetType("Bitbucket.Cli.Api.GeneratedEndpoints", throwOnError: true)!
            .GetProperty("All")!.GetValue(null)!;
        Assert.Equal(
            [(Bitbucket.Cli.Core.ApiFlavor.Cloud, "repos list"), (Bitbucket.Cli.Core.ApiFlavor.DataCenter, "repos list"), (Bitbucket.Cli.Core.ApiFlavor.DataCenter, "repos get")],
            endpoints.Select(e => (e.Flavor, e.Group + " " + e.Name)));
        var api = assembly.GetType("Bitbucket.Cli.Api.IBitbucketApi", throwOnError: true)!;
        Assert.Equal(["DataCenterReposGet", "DataCenterReposList", "ReposList"], api.GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_v1_spec_still_generates_one_cloud_api_at_run_time()
    {
        var assembly = CompileAndLoad(SpecBuilder.WithEndpoints(SpecBuilder.Endpoint()));

        var apis = (IReadOnlyList<Bitbucket.Cli.Core.ApiDescription>)assembly.GetType("Bitbucket.Cli.Api.GeneratedApis", throwOnError: true)!
            .GetProperty("All")!.GetValue(null)!;
        var api = Assert.Single(apis);
        Assert.Equal(
            (Bitbucket.Cli.Core.ApiFlavor.Cloud, Bitbucket.Cli.Core.PagingStyle.NextLink, Bitbucket.Cli.Core.OAuth.SignatureMethod.HmacSha1, "/api/1.0/oauth/request_token", "/api/1.0/oauth/authenticate", "/api/1.0/oauth/access_token", "/2.0/user"),
            (api.Flavor, api.Paging, api.SignatureMethod, api.RequestTokenPath, api.AuthorizePath, api.AccessTokenPath, api.CurrentUserPath));
        Assert.Equal("https://api.bitbucket.org", assembly.GetType("Bitbucket.Cli.Api.GeneratedEndpoints", throwOnError: true)!.GetField("DefaultBaseUrl")!.GetRawConstantValue());
    }

    [Fact]
    public void Parsing_a_v2_spec_twice_gives_equal_models_so_the_pipeline_can_cache_them()
    {
        var first = SpecParser.Parse("api-spec.json", BothFlavours);
        var second = SpecParser.Parse("api-spec.json", BothFlavours);

        Assert.Equal(first, second);
        Assert.NotEqual(first, SpecParser.Parse("api-spec.json", BothFlavours.Replace("Bitbucket Data Center", "Bitbucket Server", StringComparison.Ordinal)));
    }

    [Fact]
    public void Editing_csharp_code_reuses_the_cached_v2_outputs()
    {
        var compilation = GeneratorHarness.Compilation(CSharpSyntaxTree.ParseText("class A { }", GeneratorHarness.ParseOptions));
        var driver = GeneratorHarness.CreateDriver(new InMemoryAdditionalText(GeneratorHarness.SpecPath, BothFlavours)).RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", GeneratorHarness.ParseOptions)));

        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static Assembly CompileAndLoad(string spec)
    {
        var result = GeneratorHarness.Run(spec);
        Assert.Empty(result.Diagnostics);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);
        var compilation = CSharpCompilation.Create("Bitbucket.Cli.Api", result.GeneratedSources.Select(s => s.SyntaxTree), CompileReferences.All, options);
        var warnings = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return new InMemoryLoadContext().Add(image.ToArray());
    }
}
