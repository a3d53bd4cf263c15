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
/// Validates JSON fed in pieces, holding only the bytes of an unfinished token between pieces,
/// so memory stays flat however large the body (<see cref="Utf8JsonReader"/> with carried state).
/// </summary>
internal sealed class JsonStreamCheck
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private JsonReaderState state = new(new JsonReaderOptions { MaxDepth = 256 });
    private byte[] pending = new byte[128 * 1024];
    private int pendingLength;
    private bool started;

    /// <exception cref="JsonException">The bytes so far cannot start a valid JSON value.</exception>
    public void Append(ReadOnlySpan<byte> data) => Feed(data, final: false);

    /// <summary>The body has ended: it must have been exactly one complete JSON value.</summary>
    /// <exception cref="JsonException">It was not.</exception>
    public void Complete() => Feed([], final: true);

    private void Feed(ReadOnlySpan<byte> data, bool final)
    {
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
        rest.CopyTo(pending); // overlapping copies are safe with spans
        pendingLength = rest.Length;
    }
}
