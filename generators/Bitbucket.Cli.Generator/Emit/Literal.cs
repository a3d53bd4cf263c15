using System.Globalization;
using System.Text;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>Spec text as C# source: string literals and XML doc text.</summary>
internal static class Literal
{
    /// <summary>
    /// A regular C# string literal. Quotes, backslashes, control and line-break characters (including
    /// U+0085/U+2028/U+2029, which end a C# line) and lone surrogates are escaped; other text is kept.
    /// </summary>
    public static string String(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\0': sb.Append("\\0"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (c < ' ' || (c >= '\u007F' && c <= '\u009F') || c == '\u2028' || c == '\u2029' || c == '\uFEFF' || char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Text for one line of a <c>///</c> comment: XML-escaped, line breaks folded into spaces.</summary>
    public static string XmlDoc(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        sb.Append(c).Append(value[++i]);
                    }
                    else
                    {
                        sb.Append(c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c) || (c >= '\u007F' && c <= '\u009F') || c >= '\uFFFE' ? ' ' : c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
