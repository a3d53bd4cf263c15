using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class TableFormatterTests
{
    private static readonly System.Text.Json.JsonElement Item = Pages.Element(
        """{"name":"main","target":{"hash":"abc","author":{"raw":"A <a@x>"}},"reviewers":[{"n":"r0"},{"n":"r1"}],"n":12.0,"t":true,"z":null}""");

    [Theory]
    [InlineData("name", "main")]
    [InlineData("target.hash", "abc")]
    [InlineData("target.author.raw", "A <a@x>")]
    [InlineData("reviewers.1.n", "r1")]
    [InlineData("reviewers.2.n", "")]
    [InlineData("target.missing", "")]
    [InlineData("name.deeper", "")]
    [InlineData("n", "12.0")]
    [InlineData("t", "true")]
    [InlineData("z", "")]
    [InlineData("reviewers", """[{"n":"r0"},{"n":"r1"}]""")]
    [InlineData("target.author", """{"raw":"A <a@x>"}""")]
    public void Cell_follows_dotted_paths(string path, string expected)
    {
        Assert.Equal(expected, TableFormatter.Cell(Item, path));
    }

    [Fact]
    public void Empty_path_is_the_item_itself()
    {
        Assert.Equal("x", TableFormatter.Cell(Pages.Element("\"x\""), ""));
    }

    [Fact]
    public void Header_is_upper_case_path()
    {
        Assert.Equal("TARGET.HASH", TableFormatter.Header("target.hash"));
        Assert.Equal("VALUE", TableFormatter.Header(""));
    }

    [Fact]
    public void Row_is_padded_cut_and_trimmed()
    {
        Assert.Equal("ab    xyz…  q", TableFormatter.FormatRow(["ab", "xyzzy", "q"], [4, 4, 3]));
        Assert.Equal("a", TableFormatter.FormatRow(["a", ""], [3, 3]));
    }

    [Fact]
    public void Last_column_is_only_cut_at_the_maximum_width()
    {
        Assert.Equal("a  long value", TableFormatter.FormatRow(["a", "long value"], [1, 4]));
        Assert.Equal("a  " + new string('x', TableFormatter.MaxColumnWidth - 1) + "…", TableFormatter.FormatRow(["a", new string('x', 100)], [1, 4]));
    }

    [Fact]
    public void Widths_are_capped()
    {
        var widths = TableFormatter.Widths(["A", "B"], [[new string('x', 500), "é"]]);

        Assert.Equal([TableFormatter.MaxColumnWidth, 1], widths);
    }

    [Fact]
    public void Cutting_respects_combined_characters()
    {
        // "é" as e + combining acute is one text element and is never split.
        Assert.Equal("ae\u0301…  x", TableFormatter.FormatRow(["ae\u0301bcd", "x"], [3, 1]));
    }
}
