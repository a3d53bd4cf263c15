using Bitbucket.Cli.Core.Config;

namespace Bitbucket.Cli.Core.Terminal;

/// <summary>
/// The process's streams and environment, in one object so that commands can be run and tested
/// without touching the real console (gh's IOStreams).
/// </summary>
internal sealed class ConsoleIO
{
    public required TextWriter Out { get; init; }

    public required Stream OutStream { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    public bool StdoutIsTty { get; init; }

    public bool StderrIsTty { get; init; }

    public bool StdinIsTty { get; init; }

    public required Func<string, string?> Environment { get; init; }

    /// <summary>An environment variable, with empty treated as unset.</summary>
    public string? Env(string name) => EnvironmentVariables.Read(Environment, name);

    public bool Debug => Env("BB_DEBUG") is { } v && v != "0";

    /// <summary>
    /// The process's standard streams. On Unix they are the file descriptors themselves, not
    /// <see cref="Console"/>'s streams: the first write through those sets the terminal up (keypad
    /// mode, <c>ESC[?1h ESC=</c>) and nothing resets it, which leaves garbage in <c>script</c> logs and
    /// CI. bb leaves the terminal as it found it.
    /// </summary>
    public static ConsoleIO FromProcess()
    {
        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var stdout = OperatingSystem.IsWindows() ? Console.OpenStandardOutput() : new DescriptorStream(1, FileAccess.Write);
        var stderr = OperatingSystem.IsWindows() ? Console.OpenStandardError() : new DescriptorStream(2, FileAccess.Write);
        var stdin = OperatingSystem.IsWindows() ? Console.OpenStandardInput() : new DescriptorStream(0, FileAccess.Read);
        return new ConsoleIO
        {
            OutStream = stdout,
            Out = TextWriter.Synchronized(new StreamWriter(stdout, utf8, bufferSize: 4096, leaveOpen: true) { AutoFlush = true }),
            Error = TextWriter.Synchronized(new StreamWriter(stderr, utf8, bufferSize: 1024, leaveOpen: true) { AutoFlush = true }),
            // The tty's own line editing serves a typed line; Console.In would set the terminal up too.
            In = new StreamReader(stdin, utf8),
            StdoutIsTty = !Console.IsOutputRedirected,
            StderrIsTty = !Console.IsErrorRedirected,
            StdinIsTty = !Console.IsInputRedirected,
            Environment = System.Environment.GetEnvironmentVariable,
        };
    }

    /// <summary>terminfo's <c>rmkx</c> for xterm and its kin: cursor and keypad keys back to normal mode.</summary>
    internal const string KeypadLocal = "\u001b[?1l\u001b>";

    /// <summary>Reads a secret from the terminal without echoing it.</summary>
    public string? ReadSecret(string prompt)
    {
        if (!StdinIsTty)
        {
            return In.ReadLine();
        }

        Error.Write(prompt);
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0)
                {
                    buffer.Length--;
                }

                continue;
            }

            buffer.Append(key.KeyChar);
        }

        // Console.ReadKey puts the terminal in keypad-transmit mode (ESC[?1h ESC=) and never takes it
        // out: put it back (ESC[?1l ESC>) so the shell after bb gets the terminal as it was.
        Error.Write(KeypadLocal);
        Error.WriteLine();
        return buffer.ToString();
    }
}

/// <summary>
/// An inherited standard file descriptor, unbuffered. Writing to a reader that has gone away (EPIPE,
/// <c>bb … | head</c>) is dropped as the console streams drop it.
/// </summary>
internal sealed class DescriptorStream(int fd, FileAccess access) : Stream
{
    private const int BrokenPipe = 32; // EPIPE, Linux and macOS
    private const int TryAgainLinux = 11; // EAGAIN
    private const int TryAgainMac = 35;

    private readonly FileStream inner = new(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);

    public override bool CanRead => access == FileAccess.Read;

    public override bool CanSeek => false;

    public override bool CanWrite => access == FileAccess.Write;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>
    /// Plain <c>write(2)</c> until all is written, never <c>pwrite</c>: with <c>{ bb …; echo done; } &gt; log</c>
    /// the shell and bb share one file offset, and bb's output must move it (a FileStream on a regular
    /// file writes at a position of its own and leaves the offset where it was, so the shell's next
    /// line overwrote bb's output). A reader that has gone away (EPIPE) is dropped silently.
    /// </summary>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var written = Native.UnixNative.Write(fd, start + done, buffer.Length - done);
                if (written >= 0)
                {
                    done += written;
                    continue;
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == BrokenPipe)
                {
                    return;
                }

                if (errno is TryAgainLinux or TryAgainMac)
                {
                    Thread.Sleep(1); // a non-blocking descriptor that is full: wait for the reader
                    continue;
                }

                throw new IOException($"cannot write to file descriptor {fd} (errno {errno})", errno);
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
