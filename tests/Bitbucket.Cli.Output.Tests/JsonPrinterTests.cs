using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class JsonPrinterTests
{
    private const string Sample = """{"name":"main","n":1.50,"big":12345678901234567890123,"ok":true,"no":false,"nil":null,"list":[1,{"a":[]}],"empty":{}}""";

    private static string Print(string json, bool pretty, bool color = false)
    {
        using var writer = new StringWriter();
        new JsonPrinter(pretty, color).Write(writer, Encoding.UTF8.GetBytes(json));
        return writer.ToString();
    }

    [Fact]
    public void Compact_output_has_no_whitespace_and_keeps_number_text()
    {
        Assert.Equal(Sample, Print(Sample, pretty: false));
    }

    [Fact]
    public void Compact_output_removes_insignificant_whitespace()
    {
        Assert.Equal("""{"a":[1,2],"b":{}}""", Print("{ \"a\" : [ 1 , 2 ] ,\n \"b\" : { } }", pretty: false));
    }

    [Fact]
    public void Pretty_output_indents_two_spaces_and_keeps_empty_containers_inline()
    {
        var expected = """
            {
              "name": "main",
              "n": 1.50,
              "big": 12345678901234567890123,
              "ok": true,
              "no": false,
              "nil": null,
              "list": [
                1,
                {
                  "a": []
                }
              ],
              "empty": {}
            }
            """.ReplaceLineEndings("\n");

        Assert.Equal(expected, Print(Sample, pretty: true));
    }

    [Fact]
    public void Scalars_at_the_root_are_printed()
    {
        Assert.Equal("42", Print("42", pretty: true));
        Assert.Equal("\"x\"", Print(" \"x\" ", pretty: false));
    }

    [Fact]
    public void Element_overload_matches_bytes_overload()
    {
        using var document = JsonDocument.Parse(Sample);
        using var writer = new StringWriter();

        new JsonPrinter(pretty: true, color: false).Write(writer, document.RootElement);

        Assert.Equal(Print(Sample, pretty: true), writer.ToString());
    }

    [Fact]
    public void Non_ascii_is_not_escaped_and_escaped_input_is_unescaped()
    {
        var output = Print("""{"t":"Zoë \u00e9 日本 😀 \"q\" \\ \/"}""", pretty: false);

        Assert.Equal("""{"t":"Zoë é 日本 😀 \"q\" \\ /"}""", output);
    }

    [Fact]
    public void Control_characters_stay_escaped_so_output_is_valid_json()
    {
        var output = Print("""["a\nb\tc\u001b[31m\u007f\u0085\u0000"]""", pretty: false);

        Assert.Equal("""["a\nb\tc\u001b[31m\u007f\u0085\u0000"]""", output);
        Assert.DoesNotContain('\u001b', output);
        using var parsed = JsonDocument.Parse(output);
        Assert.Equal("a\nb\tc\u001b[31m\u007f\u0085\0", parsed.RootElement[0].GetString());
    }

    [Fact]
    public void Unpaired_surrogate_escape_is_kept_valid()
    {
        var output = Print("""["x\ud800y"]""", pretty: false);

        using var parsed = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Array, parsed.RootElement.ValueKind);
        Assert.Contains("\\ud800", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Colour_codes_appear_only_when_enabled()
    {
        var plain = Print(Sample, pretty: true, color: false);
        var coloured = Print(Sample, pretty: true, color: true);

        Assert.DoesNotContain('\u001b', plain);
        Assert.Contains("\u001b[1;34m\"name\"\u001b[0m", coloured, StringComparison.Ordinal);  // key
        Assert.Contains("\u001b[32m\"main\"\u001b[0m", coloured, StringComparison.Ordinal);    // string
        Assert.Contains("\u001b[36m1.50\u001b[0m", coloured, StringComparison.Ordinal);        // number
        Assert.Contains("\u001b[33mtrue\u001b[0m", coloured, StringComparison.Ordinal);        // boolean
        Assert.Contains("\u001b[90mnull\u001b[0m", coloured, StringComparison.Ordinal);        // null
    }

    [Fact]
    public void Removing_colour_codes_gives_the_plain_output()
    {
        var coloured = Print(Sample, pretty: true, color: true);

        var stripped = System.Text.RegularExpressions.Regex.Replace(coloured, "\u001b\\[[0-9;]*m", "");

        Assert.Equal(Print(Sample, pretty: true), stripped);
    }

    [Fact]
    public void NO_COLOR_settings_produce_no_escape_codes()
    {
        var settings = OutputSettings.ForTerminal(stdoutIsTty: true, noColorEnv: "1");
        using var writer = new StringWriter();

        new JsonPrinter(settings).Write(writer, Encoding.UTF8.GetBytes(Sample));

        Assert.DoesNotContain('\u001b', writer.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"a\":")]
    [InlineData("[1,2")]
    [InlineData("{} {}")]
    public void Invalid_json_throws_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Print(json, pretty: false));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Streaming_from_a_stream_matches_in_memory_output_for_any_chunk_size(int chunk)
    {
        var json = "\uFEFF" + """{"values":[""" + string.Join(",", Enumerable.Range(0, 200).Select(i => $$"""{"i":{{i}},"s":"été {{new string('x', i)}}"}""")) + "]}";
        var bytes = Encoding.UTF8.GetBytes(json);
        using var writer = new StringWriter();

        await new JsonPrinter(pretty: true, color: true).WriteAsync(writer, new ChunkedStream(bytes, chunk));

        Assert.Equal(Print(json.TrimStart('\uFEFF'), pretty: true, color: true), writer.ToString());
    }

    [Fact]
    public async Task Streaming_a_token_larger_than_the_buffer_works()
    {
        var json = "\"" + new string('a', 100_000) + "\"";
        using var writer = new StringWriter();

        await new JsonPrinter(pretty: false, color: false).WriteAsync(writer, new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(json, writer.ToString());
    }

    [Fact]
    public async Task Streaming_truncated_json_throws()
    {
        using var writer = new StringWriter();

        await Assert.ThrowsAnyAsync<JsonException>(() =>
            new JsonPrinter(pretty: false, color: false).WriteAsync(writer, new MemoryStream("[1,2"u8.ToArray())));
    }
}
