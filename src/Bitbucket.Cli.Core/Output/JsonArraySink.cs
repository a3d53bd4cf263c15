using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>One JSON array across all pages, written item by item.</summary>
internal sealed class JsonArraySink(TextWriter output, JsonQuery? query, JsonPrinter printer) : ItemSink(output, query)
{
    private protected override void BeginListCore() => Output.Write('[');

    private protected override void WriteItemCore(JsonElement item)
    {
        if (ItemCount > 0)
        {
            Output.Write(',');
        }

        if (printer.Pretty)
        {
            Output.Write("\n  ");
        }

        printer.Write(Output, item, indentLevel: 1);
    }

    private protected override void EndListCore() =>
        Output.Write(printer.Pretty && ItemCount > 0 ? "\n]\n" : "]\n");
}
