using System.Text;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// RFC 5849 §3.6 percent-encoding, plus the <c>application/x-www-form-urlencoded</c> decoding
/// (W3C HTML 4.0 §17.13.4) that §3.4.1.3.1 prescribes for the query and form-encoded bodies.
/// </summary>
/// <remarks>
/// <c>HttpUtility.UrlEncode</c>, <c>WebUtility.UrlEncode</c> and <c>Uri.EscapeDataString</c> are not
/// substitutes: they encode space as <c>+</c>, use lower-case hex, or leave <c>*</c>, <c>!</c>, <c>'</c>,
/// <c>(</c>, <c>)</c> alone — each of which breaks signatures.
/// </remarks>
public static class OAuthEncoding
{
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>
    /// §3.6: UTF-8 encode, keep only the unreserved set <c>A-Z a-z 0-9 - . _ ~</c>, escape every other
    /// octet as <c>%XX</c> with upper-case hex (so space is <c>%20</c>, never <c>+</c>; <c>*</c> is <c>%2A</c>).
    /// </summary>
    public static string PercentEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var firstReserved = 0;
        while (firstReserved < value.Length && IsUnreserved(value[firstReserved]))
        {
            firstReserved++;
        }

        if (firstReserved == value.Length)
        {
            return value;
        }

        // Lone surrogates become U+FFFD (EF BF BD): they cannot be sent as UTF-8 anyway.
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsUnreserved((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes <c>%XX</c> octets (either hex case) and reads the result as UTF-8. <c>+</c> is kept as
    /// <c>+</c> (this is the §3.5.1 header decoding, not form decoding). A <c>%</c> not followed by two
    /// hex digits is kept literally; invalid UTF-8 becomes U+FFFD — both as Python's <c>unquote</c> does.
    /// </summary>
    public static string PercentDecode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        var count = 0;
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes[count++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 3;
                continue;
            }

            // A literal run up to the next '%' (a stray '%' starts its own literal run).
            var next = value.IndexOf('%', i + 1);
            if (next < 0)
            {
                next = value.Length;
            }

            count += Encoding.UTF8.GetBytes(value.AsSpan(i, next - i), bytes.AsSpan(count));
            i = next;
        }

        return Encoding.UTF8.GetString(bytes, 0, count);
    }

    /// <summary>
    /// Parses a query (without its leading <c>?</c>) or a form-encoded body into decoded pairs, in order
    /// (§3.4.1.3.1 via W3C HTML 4.0 §17.13.4): pairs split on <c>&amp;</c>, name and value on the first
    /// <c>=</c>; <c>+</c> is a space; <c>%XX</c> decoded; <c>flag</c> gives <c>("flag", "")</c>; empty pairs
    /// (<c>a=1&amp;&amp;b=2</c>) are skipped. Repeated names are all kept.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQueryOrForm(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(text))
        {
            return pairs;
        }

        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add(new(FormDecode(name), FormDecode(value)));
        }

        return pairs;
    }

    /// <summary>Form-encodes pairs (§3.6 encoding, <c>&amp;</c>-joined): safe for any form body or query.</summary>
    public static string FormEncode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return string.Join('&', pairs.Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));
    }

    private static string FormDecode(string text) => PercentDecode(text.Replace('+', ' '));

    /// <summary>§3.6's unreserved set: <c>A-Z a-z 0-9 - . _ ~</c>.</summary>
    private static bool IsUnreserved(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
