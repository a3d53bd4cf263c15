using System.Text.Json;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class ItemSinkTests
{
    private static readonly string[] ThreePages = [Pages.Page(1, 2, false, 0), Pages.Page(2, 2, false, 2), Pages.Page(3, 1, true, 4)];

    private static async Task<string> RunAsync(OutputSettings settings, IEnumerable<string> pages)
    {
        using var writer = new StringWriter();
        await Pages.DriveAsync(ItemSink.Create(settings, writer), pages);
        return writer.ToString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Json_mode_prints_one_valid_array_across_three_pages(bool pretty)
    {
        var output = await RunAsync(new OutputSettings { Pretty = pretty }, ThreePages);

        using var parsed = JsonDocument.Parse(output);
        var ids = parsed.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToArray();
        Assert.Equal([0, 1, 2, 3, 4], ids);
        Assert.EndsWith("]\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_json_array_is_exact()
    {
        var output = await RunAsync(new OutputSettings(), [Pages.Page(1, 1, false), Pages.Page(2, 1, true, 1)]);

        Assert.Equal("""[{"id":0,"name":"item-0","target":{"hash":"h0"}},{"id":1,"name":"item-1","target":{"hash":"h1"}}]""" + "\n", output);
    }

    [Fact]
    public async Task Pretty_json_array_indents_items()
    {
        var output = await RunAsync(new OutputSettings { Pretty = true, Query = "id" }, [Pages.Page(1, 2, true)]);

        Assert.Equal("[\n  0,\n  1\n]\n", output);
    }

    [Fact]
    public async Task Pretty_nested_items_are_indented_one_level_deeper()
    {
        var output = await RunAsync(new OutputSettings { Pretty = true, Query = "target" }, [Pages.Page(1, 1, true)]);

        Assert.Equal("[\n  {\n    \"hash\": \"h0\"\n  }\n]\n", output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Empty_list_is_an_empty_array(bool pretty)
    {
        var output = await RunAsync(new OutputSettings { Pretty = pretty }, ["""{"values":[]}"""]);

        Assert.Equal("[]\n", output);
    }

    [Fact]
    public async Task Jsonl_prints_one_compact_value_per_line()
    {
        var output = await RunAsync(new OutputSettings { Jsonl = true, Pretty = true }, ThreePages);

        var lines = output.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal("", lines[^1]);
        for (var i = 0; i < 5; i++)
        {
            using var parsed = JsonDocument.Parse(lines[i]);
            Assert.Equal(i, parsed.RootElement.GetProperty("id").GetInt32());
        }

        Assert.Equal("""{"id":0,"name":"item-0","target":{"hash":"h0"}}""", lines[0]);
    }

    [Fact]
    public async Task Query_is_applied_to_each_item()
    {
        var output = await RunAsync(new OutputSettings { Jsonl = true, Query = "{n: name, h: target.hash}" }, ThreePages);

        Assert.Equal(
            string.Join("\n", Enumerable.Range(0, 5).Select(i => $$"""{"n":"item-{{i}}","h":"h{{i}}"}""")) + "\n",
            output);
    }

    [Fact]
    public async Task Query_yielding_null_prints_nothing_for_that_item()
    {
        string[] page = ["""{"values":[{"a":1},{"b":2},{"a":3}]}"""];

        Assert.Equal("1\n3\n", await RunAsync(new OutputSettings { Jsonl = true, Query = "a" }, page));
        Assert.Equal("[1,3]\n", await RunAsync(new OutputSettings { Query = "a" }, page));
    }

    [Fact]
    public async Task Coloured_items_inside_the_array()
    {
        var output = await RunAsync(new OutputSettings { Color = true, Query = "id" }, [Pages.Page(1, 2, true)]);

        Assert.Equal("[\u001b[36m0\u001b[0m,\u001b[36m1\u001b[0m]\n", output);
    }

    [Fact]
    public async Task Table_output_is_exact()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Columns = ["name", "target.hash", "missing"] };
        string[] page = ["""{"values":[{"name":"main","target":{"hash":"abc123"}},{"name":"feature/login","target":{}}]}"""];

        var output = await RunAsync(settings, page);

        Assert.Equal(
            "NAME           TARGET.HASH  MISSING\n" +
            "main           abc123\n" +
            "feature/login\n",
            output);
    }

    [Fact]
    public async Task Table_widths_come_from_the_first_page_and_later_values_are_cut()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Columns = ["name", "state"] };
        string[] pages =
        [
            """{"values":[{"name":"short","state":"OPEN"}],"next":"n"}""",
            """{"values":[{"name":"a-much-longer-name","state":"MERGED"}]}""",
        ];

        var output = await RunAsync(settings, pages);

        Assert.Equal(
            "NAME   STATE\n" +
            "short  OPEN\n" +
            "a-mu…  MERGED\n",
            output);
    }

    [Fact]
    public async Task Table_values_are_stringified_and_kept_on_one_line()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Columns = ["s", "n", "b", "z", "o"] };
        string[] page = ["""{"values":[{"s":"two\nlines","n":1.50,"b":false,"z":null,"o":{"k":[1]}}]}"""];

        var output = await RunAsync(settings, page);

        Assert.Equal("S          N     B      Z  O\ntwo lines  1.50  false     {\"k\":[1]}\n", output);
    }

    [Fact]
    public async Task Table_without_columns_uses_the_scalar_properties_of_the_first_item()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table };
        string[] page = ["""{"values":[{"id":1,"name":"a","links":{}},{"id":22,"name":"bb","links":{}}]}"""];

        Assert.Equal("ID  NAME\n1   a\n22  bb\n", await RunAsync(settings, page));
    }

    [Fact]
    public async Task Table_with_query_yielding_scalars_has_a_value_column()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Query = "name" };

        Assert.Equal("VALUE\nitem-0\nitem-1\n", await RunAsync(settings, [Pages.Page(1, 2, true)]));
    }

    [Fact]
    public async Task Table_header_is_bold_when_coloured()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Columns = ["id"], Color = true };

        Assert.Equal("\u001b[1mID\u001b[0m\n0\n", await RunAsync(settings, [Pages.Page(1, 1, true)]));
    }

    [Fact]
    public async Task Empty_table_prints_nothing()
    {
        var settings = new OutputSettings { Format = OutputFormat.Table, Columns = ["id"] };

        Assert.Equal("", await RunAsync(settings, ["""{"values":[]}"""]));
    }

    [Fact]
    public void Sink_rejects_calls_out_of_order()
    {
        var sink = ItemSink.Create(new OutputSettings(), TextWriter.Null);

        Assert.Throws<InvalidOperationException>(() => sink.WriteItem(Pages.Element("1")));
        sink.BeginList();
        sink.EndList();
        Assert.Throws<InvalidOperationException>(() => sink.EndPage());
    }

    [Fact]
    public void EndList_renders_a_page_that_was_not_ended()
    {
        using var writer = new StringWriter();
        var sink = ItemSink.Create(new OutputSettings { Format = OutputFormat.Table, Columns = ["a"] }, writer);

        sink.BeginList();
        sink.WriteItem(Pages.Element("""{"a":"x"}"""));
        sink.EndList();

        Assert.Equal("A\nx\n", writer.ToString());
    }
}
