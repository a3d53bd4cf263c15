using System.Globalization;
using System.Reflection;
using Bitbucket.Cli.Core.Commands;
using Cocona;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// bb's own option names (BbOptionNames, one file shared by Core, the generator and the importer): the
/// runtime's option records agree with the list, and a spec parameter that would reuse a name is a build
/// error (BB0027) instead of Cocona's "Option 'timeout' already exists" when the command runs.
/// </summary>
public sealed class OptionNamesTests
{
    private const string Marker = "⟦";

    public static TheoryData<string> TakenOnEveryCommand()
    {
        var data = new TheoryData<string>();
        foreach (var name in BbOptionNames.Common.Concat(BbOptionNames.Reserved))
        {
            data.Add(name);
        }

        foreach (var name in BbOptionNames.CommonShort.Concat(BbOptionNames.ReservedShort))
        {
            data.Add(name.ToString());
        }

        return data;
    }

    public static TheoryData<string> TakenWithABody()
    {
        var data = new TheoryData<string>();
        foreach (var name in BbOptionNames.Body.Concat(BbOptionNames.BodyShort.Select(c => c.ToString())))
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void CommonOptions_declares_exactly_the_common_names()
    {
        var (names, shortNames) = Declared(typeof(CommonOptions));

        Assert.Equal(BbOptionNames.Common, names);
        Assert.Equal(BbOptionNames.CommonShort, shortNames);
    }

    [Fact]
    public void BodyOptions_declares_exactly_the_body_names()
    {
        var (names, shortNames) = Declared(typeof(BodyOptions));

        Assert.Equal(BbOptionNames.Body, names);
        Assert.Equal(BbOptionNames.BodyShort, shortNames);
    }

    [Fact]
    public void No_name_is_in_two_lists()
    {
        var all = BbOptionNames.Common.Concat(BbOptionNames.Body).Concat(BbOptionNames.Reserved).ToList();
        var shorts = BbOptionNames.CommonShort.Concat(BbOptionNames.BodyShort).Concat(BbOptionNames.ReservedShort).ToList();

        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(shorts.Count, shorts.Distinct().Count());
    }

    [Fact]
    public void A_timeout_query_parameter_is_an_error_at_its_name_saying_what_to_do()
    {
        var (spec, line, column) = Unmark(Parameter("query", "timeout", hasBody: false));

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Equal($"BB0027 {line}:{column}", GeneratorHarness.Describe(diagnostic));
        Assert.Equal(
            "Parameter \"timeout\" would become the option --timeout, which clashes with bb's own --timeout; give it another option name, for example \"option\": \"api-timeout\", or leave it out of the spec",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TakenOnEveryCommand))]
    public void A_query_or_header_parameter_named_like_an_option_of_every_command_is_an_error(string name)
    {
        foreach (var location in new[] { "query", "header" })
        {
            foreach (var hasBody in new[] { false, true })
            {
                var (spec, line, column) = Unmark(Parameter(location, name, hasBody));

                var result = GeneratorHarness.Run(spec);

                Assert.Equal([$"BB0027 {line}:{column}"], result.Diagnostics.Select(GeneratorHarness.Describe));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TakenWithABody))]
    public void A_parameter_named_like_a_body_option_is_an_error_only_on_a_command_with_a_body(string name)
    {
        var (spec, line, column) = Unmark(Parameter("query", name, hasBody: true));
        var (withoutBody, _, _) = Unmark(Parameter("query", name, hasBody: false));

        Assert.Equal([$"BB0027 {line}:{column}"], GeneratorHarness.Run(spec).Diagnostics.Select(GeneratorHarness.Describe));
        Assert.Empty(GeneratorHarness.Run(withoutBody).Diagnostics);
    }

    [Fact]
    public void A_short_name_is_shown_with_its_long_name()
    {
        var (spec, _, _) = Unmark(Parameter("query", "i", hasBody: false));

        var diagnostic = Assert.Single(GeneratorHarness.Run(spec).Diagnostics);

        Assert.Contains("clashes with bb's own -i (--include);", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeouts")]
    [InlineData("q")]
    [InlineData("fields")]
    [InlineData("x")]
    public void Other_names_are_free(string name)
    {
        var (spec, _, _) = Unmark(Parameter("query", name, hasBody: true));

        Assert.Empty(GeneratorHarness.Run(spec).Diagnostics);
    }

    [Fact]
    public void A_path_parameter_is_an_argument_and_may_use_any_name()
    {
        var spec = SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(path: "/2.0/x/{timeout}", parameters: """[ { "name": "timeout", "in": "path" } ]"""));

        Assert.Empty(GeneratorHarness.Run(spec).Diagnostics);
    }

    [Fact]
    public void The_real_spec_reuses_none_of_bbs_option_names()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(TestPaths.RealSpec));

        Assert.Empty(result.Diagnostics);
    }

    /// <summary>Long and short names as Cocona reads them from the constructor of an option record.</summary>
    private static (List<string> Names, List<char> ShortNames) Declared(Type parameterSet)
    {
        var parameters = Assert.Single(parameterSet.GetConstructors()).GetParameters();
        var options = parameters.Select(p => p.GetCustomAttribute<OptionAttribute>()).ToList();
        Assert.All(options, Assert.NotNull);
        return (options.Select(o => o!.Name!).ToList(), options.SelectMany(o => o!.ShortNames).ToList());
    }

    private static string Parameter(string location, string name, bool hasBody)
        => SpecBuilder.WithEndpoints(SpecBuilder.Endpoint(
            parameters: $$"""[ { "name": "workspace", "in": "path" }, { "name": ⟦"{{name}}", "in": "{{location}}" } ]""",
            extra: hasBody ? "\"body\": { \"kind\": \"json\" }" : ""));

    private static (string Spec, int Line, int Column) Unmark(string marked)
    {
        var index = marked.IndexOf(Marker, StringComparison.Ordinal);
        var before = marked[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (marked.Remove(index, Marker.Length), line, column);
    }
}
