using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Bitbucket.Cli.Generator.Json;

/// <summary>Where and why a text is not valid JSON.</summary>
internal readonly record struct JsonSyntaxError(string Message, int Start, int Length);

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

    private readonly string _text;
    private int _pos;

    private JsonReader(string text)
    {
        _text = text;
    }

    /// <summary>Parses a whole document: exactly one value, surrounded only by whitespace.</summary>
    public static (JsonNode? Root, JsonSyntaxError? Error) Parse(string text)
    {
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
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _pos = 1;
        }

        SkipWhitespace();
        if (_pos >= _text.Length)
        {
            throw Error("the file is empty; expected a JSON object such as { \"specVersion\": 1, ... }", _pos, 0);
        }

        var root = ParseValue(0);
        SkipWhitespace();
        if (_pos < _text.Length)
        {
            throw Error("unexpected content after the end of the JSON document; remove it, or wrap the values in one object", _pos, 1);
        }

        return root;
    }

    private JsonNode ParseValue(int depth)
    {
        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of file; expected a value", _pos, 0);
        }

        var c = _text[_pos];
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
        var start = _pos;
        CheckDepth(depth);
        _pos++; // {
        var properties = new List<JsonProperty>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            return new JsonObject(start, _pos - start, properties);
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

            _pos++;
            SkipWhitespace();
            var value = ParseValue(depth);
            properties.Add(new JsonProperty(key, value));
            SkipWhitespace();
            var next = Peek();
            if (next == '}')
            {
                _pos++;
                return new JsonObject(start, _pos - start, properties);
            }

            if (next != ',')
            {
                throw Unexpected("',' or '}' after the value of \"" + key.Value + "\"");
            }

            var comma = _pos;
            _pos++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                throw Error("trailing comma before '}'; JSON does not allow it, remove the comma", comma, 1);
            }
        }
    }

    private JsonArray ParseArray(int depth)
    {
        var start = _pos;
        CheckDepth(depth);
        _pos++; // [
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _pos++;
            return new JsonArray(start, _pos - start, items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ParseValue(depth));
            SkipWhitespace();
            var next = Peek();
            if (next == ']')
            {
                _pos++;
                return new JsonArray(start, _pos - start, items);
            }

            if (next != ',')
            {
                throw Unexpected("',' or ']' in the array");
            }

            var comma = _pos;
            _pos++;
            SkipWhitespace();
            if (Peek() == ']')
            {
                throw Error("trailing comma before ']'; JSON does not allow it, remove the comma", comma, 1);
            }
        }
    }

    private JsonString ParseString()
    {
        var start = _pos;
        _pos++; // opening quote
        StringBuilder? sb = null;
        var runStart = _pos;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string; close it with a double quote", start, 1);
            }

            var c = _text[_pos];
            if (c == '"')
            {
                string value;
                if (sb is null)
                {
                    value = _text.Substring(runStart, _pos - runStart);
                }
                else
                {
                    sb.Append(_text, runStart, _pos - runStart);
                    value = sb.ToString();
                }

                _pos++;
                return new JsonString(start, _pos - start, value, sb is not null);
            }

            if (c == '\r' || c == '\n')
            {
                throw Error("unterminated string: a line break inside a string; close the string on the same line or write \\n", start, 1);
            }

            if (c < ' ')
            {
                throw Error("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " inside a string; escape it as \\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture), _pos, 1);
            }

            if (c != '\\')
            {
                _pos++;
                continue;
            }

            sb ??= new StringBuilder();
            sb.Append(_text, runStart, _pos - runStart);
            var escapeStart = _pos;
            _pos++;
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string; close it with a double quote", start, 1);
            }

            var e = _text[_pos];
            _pos++;
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

            runStart = _pos;
        }
    }

    private char ReadHex4(int escapeStart)
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var h = _pos < _text.Length ? _text[_pos] : '\0';
            int digit = h switch
            {
                >= '0' and <= '9' => h - '0',
                >= 'a' and <= 'f' => h - 'a' + 10,
                >= 'A' and <= 'F' => h - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw Error("invalid \\u escape; write exactly four hex digits, e.g. \\u00e9", escapeStart, Math.Min(6, _text.Length - escapeStart));
            }

            value = (value * 16) + digit;
            _pos++;
        }

        return (char)value;
    }

    private JsonNumber ParseNumber()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        if (Peek() == '0')
        {
            _pos++;
            if (IsDigit(Peek()))
            {
                throw Error("numbers must not have leading zeros", start, _pos - start + 1);
            }
        }
        else if (IsDigit(Peek()))
        {
            SkipDigits();
        }
        else
        {
            throw Error("invalid number; expected a digit after '-'", start, Math.Max(1, _pos - start));
        }

        if (Peek() == '.')
        {
            _pos++;
            if (!IsDigit(Peek()))
            {
                throw Error("invalid number; expected a digit after '.'", start, _pos - start);
            }

            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }

            if (!IsDigit(Peek()))
            {
                throw Error("invalid number; expected a digit in the exponent", start, _pos - start);
            }

            SkipDigits();
        }

        return new JsonNumber(start, _pos - start, _text.Substring(start, _pos - start));
    }

    private JsonNode ParseLiteral()
    {
        var start = _pos;
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
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0)
        {
            return false;
        }

        var end = _pos + literal.Length;
        if (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
        {
            return false; // "nullable", "trueish": not a literal
        }

        _pos = end;
        return true;
    }

    private void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels; the spec format never needs that", _pos, 1);
        }
    }

    private JsonSyntaxException UnexpectedInObject(string expected)
    {
        if (_pos < _text.Length && _text[_pos] == '\'')
        {
            return Error("property names must use double quotes, not single quotes", _pos, 1);
        }

        if (_pos < _text.Length && (char.IsLetter(_text[_pos]) || _text[_pos] == '_' || _text[_pos] == '$'))
        {
            return Error("property names must be in double quotes", _pos, 1);
        }

        return Unexpected(expected);
    }

    private JsonSyntaxException Unexpected(string expected)
    {
        if (_pos >= _text.Length)
        {
            return Error("unexpected end of file; expected " + expected, _pos, 0);
        }

        var c = _text[_pos];
        if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] is '/' or '*')
        {
            return Error("comments are not allowed in JSON; remove the comment (use an \"x-...\" key for notes)", _pos, 2);
        }

        if (c == '\'')
        {
            return Error("strings must use double quotes, not single quotes", _pos, 1);
        }

        var length = 1;
        if (char.IsLetter(c))
        {
            while (_pos + length < _text.Length && char.IsLetterOrDigit(_text[_pos + length]))
            {
                length++;
            }

            var word = _text.Substring(_pos, length);
            var hint = word.ToLowerInvariant() is "true" or "false" or "null"
                ? "; JSON literals are lower case"
                : string.Empty;
            return Error("unexpected '" + word + "'; expected " + expected + hint, _pos, length);
        }

        if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
        {
            length = 2;
        }

        return Error("unexpected '" + Printable(c) + "'; expected " + expected, _pos, length);
    }

    private static string Printable(char c) => c < ' ' || c == '\u007F' || char.IsSurrogate(c)
        ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
        : c.ToString();

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private void SkipDigits()
    {
        while (IsDigit(Peek()))
        {
            _pos++;
        }
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
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
