using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Bitbucket.Cli.Generator.Json;

/// <summary>Where and why a text is not valid JSON.</summary>
/// <param name="NotUtf8">The file's bytes were not UTF-8 (the text holds U+FFFD where they were): a diagnostic of its own.</param>
internal readonly record struct JsonSyntaxError(string Message, int Start, int Length, bool NotUtf8 = false);

/// <summary>
/// A strict RFC 8259 reader that keeps character positions. Hand-written because the generator targets
/// netstandard2.0, where System.Text.Json is not reliably loadable inside the compiler (platform notes),
/// and because diagnostics need the offsets anyway. A leading byte-order mark is skipped; comments,
/// trailing commas, single quotes and unquoted names are errors with a message that says so.
/// </summary>
internal sealed class JsonReader
{
    /// <summary>Deeper documents are rejected instead of risking the compiler's stack (the spec needs about 6).</summary>
    public const int MaxDepth = 64;

    private readonly string text;
    private int pos;

    private JsonReader(string text)
    {
        this.text = text;
    }

    /// <summary>Parses a whole document: exactly one value, surrounded only by whitespace.</summary>
    public static (JsonNode? Root, JsonSyntaxError? Error) Parse(string text)
    {
        // The compiler decodes an additional file leniently: bytes that are not UTF-8 arrive as U+FFFD
        // and would end up in help text. A spec has no reason to hold U+FFFD itself (\uFFFD spells it).
        var replaced = text.IndexOf('\uFFFD');
        if (replaced >= 0)
        {
            return (null, new JsonSyntaxError(
                "the file is not valid UTF-8 here (bytes that are not UTF-8 decode to U+FFFD); save api-spec.json as UTF-8, and write \\uFFFD if the replacement character is meant",
                replaced,
                1,
                NotUtf8: true));
        }

        var reader = new JsonReader(text);
        try
        {
            return (reader.ParseDocument(), null);
        }
        catch (JsonSyntaxException ex)
        {
            return (null, ex.Error);
        }
    }

    private JsonNode ParseDocument()
    {
        if (this.text.Length > 0 && this.text[0] == '\uFEFF')
        {
            pos = 1;
        }

        SkipWhitespace();
        if (pos >= this.text.Length)
        {
            throw Error("the file is empty; expected a JSON object such as { \"specVersion\": 1, ... }", pos, 0);
        }

        var root = ParseValue(0);
        SkipWhitespace();
        if (pos < this.text.Length)
        {
            throw Error("unexpected content after the end of the JSON document; remove it, or wrap the values in one object", pos, 1);
        }

        return root;
    }

    private JsonNode ParseValue(int depth)
    {
        if (pos >= this.text.Length)
        {
            throw Error("unexpected end of file; expected a value", pos, 0);
        }

        var c = this.text[pos];
        switch (c)
        {
            case '{':
                return ParseObject(depth + 1);
            case '[':
                return ParseArray(depth + 1);
            case '"':
                return ParseString();
            case '-':
            case >= '0' and <= '9':
                return ParseNumber();
            default:
                return ParseLiteral();
        }
    }

    private JsonObject ParseObject(int depth)
    {
        var start = pos;
        CheckDepth(depth);
        pos++; // {
        var properties = new List<JsonProperty>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            pos++;
            return new JsonObject(start, pos - start, properties);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw UnexpectedInObject("a property name in double quotes");
            }

            var key = ParseString();
            SkipWhitespace();
            if (Peek() != ':')
            {
                throw Unexpected("':' after the property name \"" + key.Value + "\"");
            }

            pos++;
            SkipWhitespace();
            var value = ParseValue(depth);
            properties.Add(new JsonProperty(key, value));
            SkipWhitespace();
            var next = Peek();
            if (next == '}')
            {
                pos++;
                return new JsonObject(start, pos - start, properties);
            }

            if (next != ',')
            {
                throw Unexpected("',' or '}' after the value of \"" + key.Value + "\"");
            }

            var comma = pos;
            pos++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                throw Error("trailing comma before '}'; JSON does not allow it, remove the comma", comma, 1);
            }
        }
    }

    private JsonArray ParseArray(int depth)
    {
        var start = pos;
        CheckDepth(depth);
        pos++; // [
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            pos++;
            return new JsonArray(start, pos - start, items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ParseValue(depth));
            SkipWhitespace();
            var next = Peek();
            if (next == ']')
            {
                pos++;
                return new JsonArray(start, pos - start, items);
            }

            if (next != ',')
            {
                throw Unexpected("',' or ']' in the array");
            }

            var comma = pos;
            pos++;
            SkipWhitespace();
            if (Peek() == ']')
            {
                throw Error("trailing comma before ']'; JSON does not allow it, remove the comma", comma, 1);
            }
        }
    }

    private JsonString ParseString()
    {
        var start = pos;
        pos++; // opening quote
        StringBuilder? sb = null;
        var runStart = pos;
        while (true)
        {
            if (pos >= this.text.Length)
            {
                throw Error("unterminated string; close it with a double quote", start, 1);
            }

            var c = this.text[pos];
            if (c == '"')
            {
                string value;
                if (sb is null)
                {
                    value = this.text.Substring(runStart, pos - runStart);
                }
                else
                {
                    sb.Append(this.text, runStart, pos - runStart);
                    value = sb.ToString();
                }

                pos++;
                return new JsonString(start, pos - start, value, sb is not null);
            }

            if (c == '\r' || c == '\n')
            {
                throw Error("unterminated string: a line break inside a string; close the string on the same line or write \\n", start, 1);
            }

            if (c < ' ')
            {
                throw Error("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " inside a string; escape it as \\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture), pos, 1);
            }

            if (c != '\\')
            {
                pos++;
                continue;
            }

            sb ??= new StringBuilder();
            sb.Append(this.text, runStart, pos - runStart);
            var escapeStart = pos;
            pos++;
            if (pos >= this.text.Length)
            {
                throw Error("unterminated string; close it with a double quote", start, 1);
            }

            var e = this.text[pos];
            pos++;
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    sb.Append(ReadHex4(escapeStart));
                    break;
                default:
                    throw Error("invalid escape '\\" + Printable(e) + "' in a string; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", escapeStart, 2);
            }

            runStart = pos;
        }
    }

    private char ReadHex4(int escapeStart)
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var h = pos < this.text.Length ? this.text[pos] : '\0';
            int digit = h switch
            {
                >= '0' and <= '9' => h - '0',
                >= 'a' and <= 'f' => h - 'a' + 10,
                >= 'A' and <= 'F' => h - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw Error("invalid \\u escape; write exactly four hex digits, e.g. \\u00e9", escapeStart, Math.Min(6, this.text.Length - escapeStart));
            }

            value = (value * 16) + digit;
            pos++;
        }

        return (char)value;
    }

    private JsonNumber ParseNumber()
    {
        var start = pos;
        if (Peek() == '-')
        {
            pos++;
        }

        if (Peek() == '0')
        {
            pos++;
            if (IsDigit(Peek()))
            {
                throw Error("numbers must not have leading zeros", start, pos - start + 1);
            }
        }
        else if (IsDigit(Peek()))
        {
            SkipDigits();
        }
        else
        {
            throw Error("invalid number; expected a digit after '-'", start, Math.Max(1, pos - start));
        }

        if (Peek() == '.')
        {
            pos++;
            if (!IsDigit(Peek()))
            {
                throw Error("invalid number; expected a digit after '.'", start, pos - start);
            }

            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            pos++;
            if (Peek() is '+' or '-')
            {
                pos++;
            }

            if (!IsDigit(Peek()))
            {
                throw Error("invalid number; expected a digit in the exponent", start, pos - start);
            }

            SkipDigits();
        }

        return new JsonNumber(start, pos - start, this.text.Substring(start, pos - start));
    }

    private JsonNode ParseLiteral()
    {
        var start = pos;
        if (Matches("true"))
        {
            return new JsonBoolean(start, 4, true);
        }

        if (Matches("false"))
        {
            return new JsonBoolean(start, 5, false);
        }

        if (Matches("null"))
        {
            return new JsonNull(start, 4);
        }

        throw Unexpected("a value (object, array, string, number, true, false or null)");
    }

    private bool Matches(string literal)
    {
        if (string.CompareOrdinal(this.text, pos, literal, 0, literal.Length) != 0)
        {
            return false;
        }

        var end = pos + literal.Length;
        if (end < this.text.Length && (char.IsLetterOrDigit(this.text[end]) || this.text[end] == '_'))
        {
            return false; // "nullable", "trueish": not a literal
        }

        pos = end;
        return true;
    }

    private void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels; the spec format never needs that", pos, 1);
        }
    }

    private JsonSyntaxException UnexpectedInObject(string expected)
    {
        if (pos < this.text.Length && this.text[pos] == '\'')
        {
            return Error("property names must use double quotes, not single quotes", pos, 1);
        }

        if (pos < this.text.Length && (char.IsLetter(this.text[pos]) || this.text[pos] == '_' || this.text[pos] == '$'))
        {
            return Error("property names must be in double quotes", pos, 1);
        }

        return Unexpected(expected);
    }

    private JsonSyntaxException Unexpected(string expected)
    {
        if (pos >= this.text.Length)
        {
            return Error("unexpected end of file; expected " + expected, pos, 0);
        }

        var c = this.text[pos];
        if (c == '/' && pos + 1 < this.text.Length && this.text[pos + 1] is '/' or '*')
        {
            return Error("comments are not allowed in JSON; remove the comment (use an \"x-...\" key for notes)", pos, 2);
        }

        if (c == '\'')
        {
            return Error("strings must use double quotes, not single quotes", pos, 1);
        }

        var length = 1;
        if (char.IsLetter(c))
        {
            while (pos + length < this.text.Length && char.IsLetterOrDigit(this.text[pos + length]))
            {
                length++;
            }

            var word = this.text.Substring(pos, length);
            var hint = word.ToLowerInvariant() is "true" or "false" or "null"
                ? "; JSON literals are lower case"
                : string.Empty;
            return Error("unexpected '" + word + "'; expected " + expected + hint, pos, length);
        }

        if (char.IsHighSurrogate(c) && pos + 1 < this.text.Length && char.IsLowSurrogate(this.text[pos + 1]))
        {
            length = 2;
        }

        return Error("unexpected '" + Printable(c) + "'; expected " + expected, pos, length);
    }

    private static string Printable(char c) => c < ' ' || c == '\u007F' || char.IsSurrogate(c)
        ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
        : c.ToString();

    private char Peek() => pos < this.text.Length ? this.text[pos] : '\0';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private void SkipDigits()
    {
        while (IsDigit(Peek()))
        {
            pos++;
        }
    }

    private void SkipWhitespace()
    {
        while (pos < this.text.Length && this.text[pos] is ' ' or '\t' or '\n' or '\r')
        {
            pos++;
        }
    }

    private static JsonSyntaxException Error(string message, int start, int length)
        => new(new JsonSyntaxError(message, start, length));

    /// <summary>Unwinds the recursive descent to <see cref="Parse"/>; never escapes this class.</summary>
    private sealed class JsonSyntaxException : Exception
    {
        public JsonSyntaxException(JsonSyntaxError error)
            : base(error.Message)
        {
            Error = error;
        }

        public JsonSyntaxError Error { get; }
    }
}
