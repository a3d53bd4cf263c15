using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

/// <summary>Builds Bitbucket-shaped pages and drives a sink the way the runtime does.</summary>
internal static class Pages
{
    public static string Page(int number, int count, bool last, int start = 0)
    {
        var items = Enumerable.Range(start, count)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $$$"""{"id":{{{i}}},"name":"item-{{{i}}}","target":{"hash":"h{{{i}}}"}}"""));
        var next = last ? "" : ",\"next\":\"https://api.bitbucket.org/2.0/x?page=" + (number + 1).ToString(CultureInfo.InvariantCulture) + "\"";
        return string.Create(CultureInfo.InvariantCulture, $$"""{"pagelen":{{count}},"page":{{number}},"values":[{{string.Join(",", items)}}]""") + next + "}";
    }

    /// <summary>Reads each page with <see cref="PageReader"/> and feeds it to <paramref name="sink"/>, disposing it after.</summary>
    public static async Task DriveAsync(ItemSink sink, IEnumerable<string> pages)
    {
        sink.BeginList();
        foreach (var json in pages)
        {
            using var page = await PageReader.ReadPageAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);
            foreach (var item in page.Values)
            {
                sink.WriteItem(item);
            }

            sink.EndPage();
        }

        sink.EndList();
    }

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
