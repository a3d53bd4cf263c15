using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// Re-renders JSON text token by token: compact or indented by two spaces, optionally coloured.
/// </summary>
/// <remarks>
/// It is a token printer rather than <see cref="Utf8JsonWriter"/> because colour codes must sit between
/// tokens and because the input must survive unchanged: numbers are copied as their original text
/// (<c>1.50</c> stays <c>1.50</c>, big integers keep every digit), and strings are re-escaped minimally —
/// only <c>"</c>, <c>\</c>, control characters (C0, DEL, C1: they would drive the terminal) and unpaired
/// surrogates are escaped, so non-ASCII text is printed as itself and the result is always valid JSON.
/// </remarks>
public sealed class JsonPrinter(bool pretty, bool color)
{
    private const int IndentSize = 2;

    public JsonPrinter(OutputSettings settings)
        : this(settings.Pretty, settings.Color)
    {
    }

    /// <summary>Indents nested values with two spaces per level.</summary>
    public bool Pretty { get; } = pretty;

    /// <summary>Wraps keys and scalars in ANSI colour codes.</summary>
    public bool Color { get; } = color;

    /// <summary>Writes <paramref name="value"/> (no trailing newline).</summary>
    /// <param name="indentLevel">The nesting level the value starts at (used when it is an array element).</param>
    public void Write(TextWriter output, JsonElement value, int indentLevel = 0)
        => Write(output, JsonMarshal.GetRawUtf8Value(value), indentLevel);

    /// <summary>Writes one complete JSON value given as UTF-8 (no trailing newline).</summary>
    /// <exception cref="JsonException">The bytes are not exactly one valid JSON value.</exception>
    public void Write(TextWriter output, ReadOnlySpan<byte> utf8Json, int indentLevel = 0)
    {
        var renderer = new Renderer(this, output, indentLevel);
        var reader = new Utf8JsonReader(SkipBom(utf8Json), isFinalBlock: true, state: default);
        renderer.Render(ref reader);
        renderer.EnsureComplete();
    }

    /// <summary>
    /// Streams one JSON value from <paramref name="utf8Json"/> to <paramref name="output"/> (no trailing newline)
    /// without loading the whole document: only the current chunk (and at most one token) is held.
    /// </summary>
    /// <exception cref="JsonException">The stream is not exactly one valid JSON value; output may be partial.</exception>
    public async Task WriteAsync(TextWriter output, Stream utf8Json, CancellationToken cancellationToken = default)
    {
        var renderer = new Renderer(this, output, 0);
        var state = default(JsonReaderState);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            var first = true;
            var final = false;
            while (!final)
            {
                if (length == buffer.Length)
                {
                    // One token is larger than the buffer: grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await utf8Json.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                final = read == 0;
                length += read;

                var start = 0;
                if (first && (length >= 3 || final))
                {
                    start = length - SkipBom(buffer.AsSpan(0, length)).Length;
                    first = false;
                }
                else if (first)
                {
                    continue;
                }

                var consumed = start + renderer.Render(buffer.AsSpan(start, length - start), final, ref state);
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }

            renderer.EnsureComplete();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Renders <paramref name="value"/> to a string (no trailing newline).</summary>
    public string Format(JsonElement value)
    {
        using var writer = new StringWriter();
        Write(writer, value);
        return writer.ToString();
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>The state of one rendering: where we are in the nesting and what was written last.</summary>
    private sealed class Renderer(JsonPrinter printer, TextWriter output, int baseIndent)
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        // One entry per open container: has it had a child yet (decides ',' and how to close)?
        private readonly List<bool> hasChild = [];
        private bool afterPropertyName;
        private bool rootWritten;
        private char[] chars = [];

        public int Render(ReadOnlySpan<byte> chunk, bool final, ref JsonReaderState state)
        {
            var reader = new Utf8JsonReader(chunk, final, state);
            Render(ref reader);
            state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        public void Render(ref Utf8JsonReader reader)
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        BeforeValue();
                        output.Write(reader.TokenType == JsonTokenType.StartObject ? '{' : '[');
                        hasChild.Add(false);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        var hadChild = hasChild[^1];
                        hasChild.RemoveAt(hasChild.Count - 1);
                        if (hadChild && printer.Pretty)
                        {
                            NewLine(hasChild.Count);
                        }

                        output.Write(reader.TokenType == JsonTokenType.EndObject ? '}' : ']');
                        rootWritten |= hasChild.Count == 0;
                        break;
                    case JsonTokenType.PropertyName:
                        Separator();
                        WriteString(ref reader, Ansi.Key);
                        output.Write(printer.Pretty ? ": " : ":");
                        afterPropertyName = true;
                        break;
                    case JsonTokenType.String:
                        BeforeValue();
                        WriteString(ref reader, Ansi.String);
                        break;
                    case JsonTokenType.Number:
                        BeforeValue();
                        WriteColored(Ansi.Number, reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        BeforeValue();
                        WriteColored(Ansi.Boolean, reader.ValueSpan);
                        break;
                    case JsonTokenType.Null:
                        BeforeValue();
                        WriteColored(Ansi.Null, reader.ValueSpan);
                        break;
                    default:
                        // Comments are disallowed by the default reader options; nothing else carries output.
                        break;
                }
            }
        }

        public void EnsureComplete()
        {
            if (!rootWritten || hasChild.Count != 0)
            {
                throw new JsonException("The JSON value is incomplete.");
            }
        }

        private void BeforeValue()
        {
            if (afterPropertyName)
            {
                afterPropertyName = false;
            }
            else if (hasChild.Count > 0)
            {
                Separator();
            }

            rootWritten |= hasChild.Count == 0;
        }

        private void Separator()
        {
            var top = hasChild.Count - 1;
            if (hasChild[top])
            {
                output.Write(',');
            }

            hasChild[top] = true;
            if (printer.Pretty)
            {
                NewLine(hasChild.Count);
            }
        }

        private void NewLine(int level)
        {
            output.Write('\n');
            for (var i = (baseIndent + level) * IndentSize; i > 0; i--)
            {
                output.Write(' ');
            }
        }

        private void WriteColored(string code, ReadOnlySpan<byte> utf8)
        {
            if (printer.Color)
            {
                output.Write(code);
            }

            output.Write(Decode(utf8));
            if (printer.Color)
            {
                output.Write(Ansi.Reset);
            }
        }

        private void WriteString(ref Utf8JsonReader reader, string code)
        {
            if (printer.Color)
            {
                output.Write(code);
            }

            output.Write('"');
            if (!reader.ValueIsEscaped)
            {
                JsonText.WriteEscaped(output, Decode(reader.ValueSpan), alreadyEscaped: false);
            }
            else
            {
                string? unescaped = null;
                try
                {
                    unescaped = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    // Invalid UTF-8 or an unpaired surrogate escape: fall back to the source text, which is valid JSON.
                }

                if (unescaped is not null)
                {
                    JsonText.WriteEscaped(output, unescaped, alreadyEscaped: false);
                }
                else
                {
                    JsonText.WriteEscaped(output, Decode(reader.ValueSpan), alreadyEscaped: true);
                }
            }

            output.Write('"');
            if (printer.Color)
            {
                output.Write(Ansi.Reset);
            }
        }

        /// <summary>UTF-8 to UTF-16 into a reused buffer; invalid bytes become U+FFFD instead of throwing.</summary>
        private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8)
        {
            var max = Utf8.GetMaxCharCount(utf8.Length);
            if (chars.Length < max)
            {
                chars = new char[Math.Max(max, 256)];
            }

            var count = Utf8.GetChars(utf8, chars);
            return chars.AsSpan(0, count);
        }
    }
}
