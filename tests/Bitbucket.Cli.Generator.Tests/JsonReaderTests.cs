using Bitbucket.Cli.Generator.Json;

namespace Bitbucket.Cli.Generator.Tests;

public sealed class JsonReaderTests
{
    [Fact]
    public void Values_keep_their_positions()
    {
        var (root, error) = JsonReader.Parse("""{ "a": [1, "x"], "b": null }""");

        Assert.Null(error);
        var obj = Assert.IsType<JsonObject>(root);
        Assert.Equal((0, 28), (obj.Start, obj.Length));
        var a = Assert.IsType<JsonArray>(obj.Properties[0].Value);
        Assert.Equal((7, 8), (a.Start, a.Length));
        Assert.Equal((2, 3), (obj.Properties[0].Key.Start, obj.Properties[0].Key.Length));
        Assert.IsType<JsonNull>(obj.Properties[1].Value);
    }

    [Fact]
    public void Escapes_decode_including_surrogate_pairs_and_are_flagged()
    {
        var (root, _) = JsonReader.Parse("""["a\"b\\c\/\n\t\u00e9\ud83d\ude00", "plain"]""");

        var array = Assert.IsType<JsonArray>(root);
        var escaped = Assert.IsType<JsonString>(array.Items[0]);
        Assert.Equal("a\"b\\c/\n\té😀", escaped.Value);
        Assert.True(escaped.HasEscapes);
        Assert.False(Assert.IsType<JsonString>(array.Items[1]).HasEscapes);
    }

    [Fact]
    public void Numbers_are_kept_as_written_so_huge_ones_cannot_overflow()
    {
        var (root, _) = JsonReader.Parse("[123456789012345678901234567890, -0.5e-3]");

        var array = Assert.IsType<JsonArray>(root);
        Assert.Equal("123456789012345678901234567890", Assert.IsType<JsonNumber>(array.Items[0]).Raw);
        Assert.Equal("-0.5e-3", Assert.IsType<JsonNumber>(array.Items[1]).Raw);
    }

    [Fact]
    public void A_leading_byte_order_mark_is_skipped()
    {
        var (root, error) = JsonReader.Parse("\uFEFF{}");
        Assert.Null(error);
        Assert.Equal(1, root!.Start);
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("   ", 3, "empty")]
    [InlineData("{\"a\": 1,}", 7, "trailing comma")]
    [InlineData("[1,]", 2, "trailing comma")]
    [InlineData("{\"a\": \"x}", 6, "unterminated string")]
    [InlineData("{\"a\": \"x\n\"}", 6, "line break inside a string")]
    [InlineData("{ // c\n}", 2, "comments are not allowed")]
    [InlineData("{ 'a': 1 }", 2, "double quotes")]
    [InlineData("{ a: 1 }", 2, "double quotes")]
    [InlineData("[True]", 1, "lower case")]
    [InlineData("[01]", 1, "leading zeros")]
    [InlineData("[1.]", 1, "digit after '.'")]
    [InlineData("[\"\\x\"]", 2, "invalid escape")]
    [InlineData("[\"\\u12G4\"]", 2, "four hex digits")]
    [InlineData("{} {}", 3, "after the end")]
    [InlineData("{\"a\" 1}", 5, "':'")]
    [InlineData("[1 2]", 3, "',' or ']'")]
    [InlineData("{\"a\": 1", 7, "end of file")]
    [InlineData("[nullx]", 1, "unexpected 'nullx'")]
    public void Syntax_errors_say_what_and_where(string text, int position, string message)
    {
        var (root, error) = JsonReader.Parse(text);

        Assert.Null(root);
        Assert.NotNull(error);
        Assert.Equal(position, error.Value.Start);
        Assert.Contains(message, error.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);

        var (_, error) = JsonReader.Parse(text);

        Assert.NotNull(error);
        Assert.Equal(JsonReader.MaxDepth, error.Value.Start);
        Assert.Contains("nesting", error.Value.Message, StringComparison.Ordinal);
    }
}
