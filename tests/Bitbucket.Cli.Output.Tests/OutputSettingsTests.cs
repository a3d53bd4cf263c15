using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class OutputSettingsTests
{
    [Fact]
    public void Terminal_gets_pretty_coloured_json()
    {
        var settings = OutputSettings.ForTerminal(stdoutIsTty: true, noColorEnv: null);

        Assert.True(settings.Pretty);
        Assert.True(settings.Color);
        Assert.Equal(OutputFormat.Json, settings.Format);
    }

    [Fact]
    public void Pipe_gets_compact_colourless_json()
    {
        var settings = OutputSettings.ForTerminal(stdoutIsTty: false, noColorEnv: null);

        Assert.False(settings.Pretty);
        Assert.False(settings.Color);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("0")]
    public void NO_COLOR_with_any_value_disables_colour_but_keeps_indentation(string value)
    {
        var settings = OutputSettings.ForTerminal(stdoutIsTty: true, noColorEnv: value);

        Assert.True(settings.Pretty);
        Assert.False(settings.Color);
    }

    [Fact]
    public void Empty_NO_COLOR_is_ignored()
    {
        Assert.True(OutputSettings.ForTerminal(stdoutIsTty: true, noColorEnv: "").Color);
    }

    [Theory]
    [InlineData(null, OutputFormat.Json)]
    [InlineData("json", OutputFormat.Json)]
    [InlineData("TABLE", OutputFormat.Table)]
    public void Format_is_parsed(string? format, OutputFormat expected)
    {
        Assert.Equal(expected, OutputSettings.ForTerminal(false, null, format: format).Format);
    }

    [Fact]
    public void Unknown_format_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => OutputSettings.ForTerminal(false, null, format: "yaml"));
        Assert.Contains("--format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_with_table_is_a_usage_error()
    {
        Assert.Throws<UsageException>(() => OutputSettings.ForTerminal(false, null, jsonl: true, format: "table"));
    }

    [Fact]
    public void Query_and_columns_are_carried()
    {
        var settings = OutputSettings.ForTerminal(false, null, query: "name", columns: ["name", "target.hash"]);

        Assert.Equal("name", settings.Query);
        Assert.Equal(["name", "target.hash"], settings.Columns);
    }
}
