using System.Text.Json;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>Copies a JSON body to stdout as is, checking it is one valid JSON value as the bytes pass.</summary>
internal static class JsonPassThrough
{
    /// <summary>JSON bodies up to this size are validated before any of it is printed.</summary>
    internal const int HeldBack = 1 << 20;

    /// <summary>
    /// Copies a JSON body as is, ending it with a newline like every other line bb prints. The bytes
    /// are checked as they pass (a captive portal's HTML, a body cut short): the first
    /// <see cref="HeldBack"/> bytes are printed only once they are known to be valid, so an ordinary
    /// response is printed whole or not at all; a larger one streams and fails at its end.
    /// </summary>
    /// <exception cref="JsonException">The body is not one valid JSON value.</exception>
    public static async Task CopyEndingWithNewlineAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[81920];
        var held = new MemoryStream();
        var check = new JsonStreamCheck();
        var last = (byte)'\n';
        var any = false;
        int read;
        while ((read = await from.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            check.Append(buffer.AsSpan(0, read));
            if (held.Length < HeldBack)
            {
                held.Write(buffer, 0, read);
                if (held.Length >= HeldBack)
                {
                    await to.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), ct).ConfigureAwait(false);
                }
            }
            else
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }

            last = buffer[read - 1];
            any = true;
        }

        if (!any)
        {
            return;
        }

        check.Complete();
        if (held.Length < HeldBack)
        {
            await to.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), ct).ConfigureAwait(false);
        }

        if (last != (byte)'\n')
        {
            to.WriteByte((byte)'\n');
        }

        await to.FlushAsync(ct).ConfigureAwait(false);
    }
}

/// <summary>
/// Validates JSON fed in pieces, holding only the bytes of an unfinished token between pieces, so
/// memory stays flat however large the body (<see cref="Utf8JsonReader"/> with carried state). A
/// string longer than <see cref="LongToken"/> — one that may run to hundreds of megabytes — is not
/// held: its bytes are checked here as they pass (escapes, no raw control characters) and the reader
/// is shown <c>""</c> in its place, so time stays linear and memory bounded. A number or literal
/// that long is not JSON any server sends, and is refused.
/// </summary>
internal sealed class JsonStreamCheck
{
    /// <summary>An unfinished token longer than this is handled without holding it.</summary>
    internal const int LongToken = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private JsonReaderState state = new(new JsonReaderOptions { MaxDepth = 256 });
    private byte[] pending = new byte[128 * 1024];
    private int pendingLength;
    private bool started;

    // A long string being skipped: what preceded its opening quote (a separator at most), and where its escapes stand.
    private bool inLongString;
    private byte[] longStringPrefix = [];
    private bool escaped;
    private int hexLeft;

    /// <summary>The bytes held between pieces (for tests: it must not grow with a long string).</summary>
    internal int HeldCapacity => pending.Length;

    /// <exception cref="JsonException">The bytes so far cannot start a valid JSON value.</exception>
    public void Append(ReadOnlySpan<byte> data) => Feed(data, final: false);

    /// <summary>The body has ended: it must have been exactly one complete JSON value.</summary>
    /// <exception cref="JsonException">It was not.</exception>
    public void Complete() => Feed([], final: true);

    private void Feed(ReadOnlySpan<byte> data, bool final)
    {
        while (true)
        {
            if (inLongString)
            {
                var end = ScanString(data);
                if (end < 0)
                {
                    if (final)
                    {
                        throw new JsonException("the body ends inside a string");
                    }

                    return;
                }

                // The string is over: the reader sees an empty one where it stood, then what follows.
                inLongString = false;
                longStringPrefix.CopyTo(pending);
                pending[longStringPrefix.Length] = (byte)'"';
                pending[longStringPrefix.Length + 1] = (byte)'"';
                pendingLength = longStringPrefix.Length + 2;
                data = data[end..];
            }

            // What is not consumed yet: the unfinished token of the last piece, then this piece.
            if (pendingLength + data.Length > pending.Length)
            {
                Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingLength + data.Length));
            }

            data.CopyTo(pending.AsSpan(pendingLength));
            pendingLength += data.Length;
            var input = pending.AsSpan(0, pendingLength);
            if (!started)
            {
                if (!final && input.Length < Utf8Bom.Length && Utf8Bom.StartsWith(input))
                {
                    return; // perhaps the start of a byte order mark
                }

                started = true;
                if (input.StartsWith(Utf8Bom))
                {
                    input = input[Utf8Bom.Length..];
                }
            }

            var reader = new Utf8JsonReader(input, final, state);
            while (reader.Read())
            {
            }

            state = reader.CurrentState;
            var rest = input[(int)reader.BytesConsumed..];
            if (final || rest.Length <= LongToken)
            {
                rest.CopyTo(pending); // overlapping copies are safe with spans
                pendingLength = rest.Length;
                return;
            }

            // A long unfinished token: only a string may be that long.
            var at = SkipSeparator(rest);
            if (at == rest.Length)
            {
                // Only whitespace (and a separator) so far: keep the separator, drop the rest.
                var kept = rest[..Math.Min(at, FirstNonSpace(rest) + 1)].Trim(" \t\r\n"u8);
                kept.CopyTo(pending);
                pendingLength = kept.Length;
                return;
            }

            if (rest[at] != (byte)'"')
            {
                throw new JsonException($"a JSON token longer than {LongToken / 1024} KiB that is not a string");
            }

            longStringPrefix = rest[..at].Trim(" \t\r\n"u8).ToArray();
            inLongString = true;
            escaped = false;
            hexLeft = 0;
            data = rest[(at + 1)..].ToArray(); // at most LongToken plus one piece: copied once, then released
            pendingLength = 0;
        }
    }

    /// <summary>Whitespace, at most one ',' or ':' and more whitespace: the index after them.</summary>
    private static int SkipSeparator(ReadOnlySpan<byte> rest)
    {
        var i = FirstNonSpace(rest);
        if (i < rest.Length && rest[i] is (byte)',' or (byte)':')
        {
            i++;
            while (i < rest.Length && IsSpace(rest[i]))
            {
                i++;
            }
        }

        return i;
    }

    private static int FirstNonSpace(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (i < rest.Length && IsSpace(rest[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>
    /// Checks string content (RFC 8259 §7: escapes, no raw control characters); returns the index
    /// just after the closing quote, or -1 when the string goes on past <paramref name="data"/>.
    /// </summary>
    private int ScanString(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            if (hexLeft > 0)
            {
                if (!char.IsAsciiHexDigit((char)b))
                {
                    throw new JsonException("an invalid \\u escape in a string");
                }

                hexLeft--;
            }
            else if (escaped)
            {
                escaped = false;
                switch (b)
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                        break;
                    case (byte)'u':
                        hexLeft = 4;
                        break;
                    default:
                        throw new JsonException("an invalid escape in a string");
                }
            }
            else if (b == (byte)'\\')
            {
                escaped = true;
            }
            else if (b == (byte)'"')
            {
                return i + 1;
            }
            else if (b < 0x20)
            {
                throw new JsonException("a control character in a string");
            }
            else
            {
                // The common run: plain bytes up to the next quote, backslash or control character.
                var run = data[i..].IndexOfAnyExceptInRange((byte)0x20, (byte)0xFF);
                var special = data[i..].IndexOfAny((byte)'"', (byte)'\\');
                var stop = run < 0 ? special : special < 0 ? run : Math.Min(run, special);
                if (stop < 0)
                {
                    return -1;
                }

                i += stop - 1;
            }
        }

        return -1;
    }
}
