using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>JSON Lines: one compact value per line.</summary>
internal sealed class JsonLinesSink(TextWriter output, JsonQuery? query, JsonPrinter printer) : ItemSink(output, query)
{
    private protected override void WriteItemCore(JsonElement item)
    {
        printer.Write(Output, item);
        Output.Write('\n');
    }
}
