using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// <c>--slurp</c> (gh's): every page's items are collected into one array, and only when the list is complete
/// is it printed as one value — so <c>--query</c> runs on the whole array (<c>length(@)</c> counts them all).
/// </summary>
/// <remarks>
/// Unlike the other sinks it holds the whole list: memory grows with the item count (each item is kept as
/// its raw JSON bytes, so numbers and strings stay exactly as the server sent them). A list that breaks off
/// prints nothing: a query over part of the list would be a wrong answer, not a shorter one.
/// </remarks>
internal sealed class SlurpSink(TextWriter output, OutputSettings settings) : ItemSink(output, query: null)
{
    private readonly ArrayBufferWriter<byte> buffer = new();
    private Utf8JsonWriter? writer;

    private protected override void BeginListCore()
    {
        writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartArray();
    }

    private protected override void WriteItemCore(JsonElement item) =>
        writer!.WriteRawValue(JsonMarshal.GetRawUtf8Value(item), skipInputValidation: true);

    private protected override void EndListCore()
    {
        writer!.WriteEndArray();
        writer.Flush();
        writer.Dispose();
        if (Failed)
        {
            return;
        }

        using var all = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 256 });
        new OutputWriter(settings with { Slurp = false }, Output).WriteValue(all.RootElement);
    }
}
