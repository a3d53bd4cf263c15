namespace Bitbucket.Cli.Output.Tests;

/// <summary>A read-only stream that returns at most <c>chunk</c> bytes per read, like a slow network.</summary>
internal sealed class ChunkedStream(byte[] data, int chunk) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), data.Length - position);
        Array.Copy(data, position, buffer, offset, n);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
