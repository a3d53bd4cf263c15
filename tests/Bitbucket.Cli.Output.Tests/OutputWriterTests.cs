using System.Text;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class OutputWriterTests
{
    private const string Repo = """{"full_name":"w/r","size":1024,"mainbranch":{"name":"main"},"links":{"clone":[{"name":"https"},{"name":"ssh"}]}}""";

    private static string Write(OutputSettings settings, string json)
    {
        using var writer = new StringWriter();
        new OutputWriter(settings, writer).WriteValue(Pages.Element(json));
        return writer.ToString();
    }

    [Fact]
    public void Whole_value_is_printed_with_a_newline()
    {
        Assert.Equal(Repo + "\n", Write(new OutputSettings(), Repo));
    }

    [Fact]
    public void Query_applies_to_the_whole_value()
    {
        Assert.Equal("""["https","ssh"]""" + "\n", Write(new OutputSettings { Query = "links.clone[].name" }, Repo));
        Assert.Equal("main\n", Write(new OutputSettings { Query = "mainbranch.name" }, Repo));
    }

    [Fact]
    public void A_string_the_query_picks_out_is_its_text_exactly_when_piped()
    {
        const string Json = """{"d":"line one\n\tline two \"quoted\" \u001b[31mred\u001b[0m \u202eabc"}""";

        Assert.Equal("line one\n\tline two \"quoted\" \u001b[31mred\u001b[0m \u202eabc\n", Write(new OutputSettings { Query = "d" }, Json));
    }

    [Fact]
    public void On_a_terminal_a_string_the_query_picks_out_keeps_its_lines_but_no_control_characters()
    {
        const string Json = """{"d":"line one\n\tline two \u001b[31mred\u001b[0m \u202eabc\r\u0085"}""";

        Assert.Equal("line one\n\tline two \uFFFD[31mred\uFFFD[0m \uFFFDabc\uFFFD\uFFFD\n", Write(new OutputSettings { Query = "d", Terminal = true }, Json));
    }

    [Fact]
    public void A_string_stays_json_with_jsonl_and_inside_anything_larger()
    {
        Assert.Equal("\"main\"\n", Write(new OutputSettings { Query = "mainbranch.name", Jsonl = true }, Repo));
        Assert.Equal("""["main"]""" + "\n", Write(new OutputSettings { Query = "[mainbranch.name]" }, Repo));
    }

    [Fact]
    public void Query_on_a_page_sees_the_whole_page()
    {
        Assert.Equal("2\n", Write(new OutputSettings { Query = "length(values)" }, Pages.Page(1, 2, true)));
    }

    [Fact]
    public void Query_yielding_null_prints_nothing()
    {
        Assert.Equal("", Write(new OutputSettings { Query = "nope" }, Repo));
    }

    [Fact]
    public void Query_results_keep_non_ascii_text()
    {
        Assert.Equal("Zoë 日本\n", Write(new OutputSettings { Query = "a" }, """{"a":"Zo\u00eb 日本"}"""));
    }

    [Fact]
    public void Query_results_keep_date_strings_as_text()
    {
        Assert.Equal("2024-05-01T10:00:00.123456+00:00\n", Write(new OutputSettings { Query = "d" }, """{"d":"2024-05-01T10:00:00.123456+00:00"}"""));
    }

    [Fact]
    public void Jsonl_prints_array_elements_one_per_line()
    {
        Assert.Equal("\"https\"\n\"ssh\"\n", Write(new OutputSettings { Jsonl = true, Query = "links.clone[].name" }, Repo));
        Assert.Equal("{\"name\":\"main\"}\n", Write(new OutputSettings { Jsonl = true, Pretty = true, Query = "mainbranch" }, Repo));
    }

    [Fact]
    public void Table_of_an_object_is_one_row()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Columns = ["full_name", "mainbranch.name"] };

        Assert.Equal("FULL_NAME  MAINBRANCH.NAME\nw/r        main\n", Write(settings, Repo));
    }

    [Fact]
    public void Table_of_a_scalar_is_its_text()
    {
        Assert.Equal("1024\n", Write(new OutputSettings { Format = OutputFormat.Table, Query = "size" }, Repo));
    }

    [Fact]
    public void Invalid_query_is_a_usage_error_up_front()
    {
        var error = Assert.Throws<UsageException>(() => new OutputWriter(new OutputSettings { Query = "a[?" }, TextWriter.Null));

        Assert.Contains("--query", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Body_stream_is_printed_as_is_without_query()
    {
        using var writer = new StringWriter();

        await new OutputWriter(new OutputSettings { Pretty = true }, writer)
            .WriteValueAsync(new ChunkedStream(Encoding.UTF8.GetBytes("""{"a":1.10}"""), 3));

        Assert.Equal("{\n  \"a\": 1.10\n}\n", writer.ToString());
    }

    [Fact]
    public async Task Body_stream_with_query()
    {
        using var writer = new StringWriter();

        await new OutputWriter(new OutputSettings { Query = "a" }, writer)
            .WriteValueAsync(new MemoryStream("""{"a":[1,2]}"""u8.ToArray()));

        Assert.Equal("[1,2]\n", writer.ToString());
    }

    [Fact]
    public async Task List_sink_applies_query_per_item()
    {
        using var writer = new StringWriter();
        var output = new OutputWriter(new OutputSettings { Query = "id" }, writer);

        await Pages.DriveAsync(output.CreateListSink(), [Pages.Page(1, 2, false), Pages.Page(2, 1, true, 2)]);

        Assert.Equal("[0,1,2]\n", writer.ToString());
    }
}
