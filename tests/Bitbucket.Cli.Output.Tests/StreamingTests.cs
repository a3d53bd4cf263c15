using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

/// <summary>The sinks hold at most one page: output leaves the process page by page.</summary>
public class StreamingTests
{
    private const int PageCount = 100;
    private const int PerPage = 100;

    private static IEnumerable<string> HundredPages() =>
        Enumerable.Range(1, PageCount).Select(p => Pages.Page(p, PerPage, p == PageCount, (p - 1) * PerPage));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Json_sinks_never_hold_more_than_one_page(bool pretty, bool jsonl)
    {
        var counting = new CountingStream();
        using var writer = new StreamWriter(counting, new UTF8Encoding(false), bufferSize: 1024);
        var sink = ItemSink.Create(new OutputSettings { Pretty = pretty, Jsonl = jsonl }, writer);

        await Pages.DriveAsync(sink, HundredPages());

        Assert.Equal(PageCount * PerPage, sink.ItemCount);
        Assert.Equal(PerPage, sink.PeakPendingItems);
        Assert.Equal(0, sink.PendingItems);

        // Every page reached the underlying stream before the next page was read.
        Assert.True(counting.FlushedLengths.Count >= PageCount);
        var growth = counting.FlushedLengths.Zip(counting.FlushedLengths.Skip(1), (a, b) => b - a).Count(d => d > 0);
        Assert.True(growth >= PageCount - 1, $"output grew at only {growth} flushes");
    }

    [Fact]
    public async Task Hundred_pages_into_Stream_Null()
    {
        using var writer = new StreamWriter(Stream.Null);
        var sink = ItemSink.Create(new OutputSettings(), writer);

        await Pages.DriveAsync(sink, HundredPages());

        Assert.Equal(PageCount * PerPage, sink.ItemCount);
        Assert.Equal(PerPage, sink.PeakPendingItems);
    }

    [Fact]
    public async Task Table_sink_buffers_one_page_of_rows_at_most()
    {
        using var writer = new StringWriter();
        var sink = (TableSink)ItemSink.Create(new OutputSettings { Format = OutputFormat.Table, Columns = ["id"] }, writer);
        var peakRows = 0;

        sink.BeginList();
        foreach (var json in HundredPages())
        {
            using var page = PageReader.ReadPage(Encoding.UTF8.GetBytes(json));
            foreach (var item in page.Values)
            {
                sink.WriteItem(item);
                peakRows = Math.Max(peakRows, sink.BufferedRows);
            }

            sink.EndPage();
            Assert.Equal(0, sink.BufferedRows);
        }

        sink.EndList();

        Assert.Equal(PerPage, peakRows);
        Assert.Equal(PageCount * PerPage + 1, writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Json_output_of_hundred_pages_is_one_array()
    {
        using var writer = new StringWriter();

        await Pages.DriveAsync(ItemSink.Create(new OutputSettings(), writer), HundredPages());

        using var parsed = JsonDocument.Parse(writer.ToString());
        Assert.Equal(PageCount * PerPage, parsed.RootElement.GetArrayLength());
    }

    /// <summary>Discards bytes but records how many had arrived at each flush.</summary>
    private sealed class CountingStream : Stream
    {
        private long length;

        public List<long> FlushedLengths { get; } = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position
        {
            get => length;
            set => throw new NotSupportedException();
        }

        public override void Flush() => FlushedLengths.Add(length);

        public override void Write(byte[] buffer, int offset, int count) => length += count;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
