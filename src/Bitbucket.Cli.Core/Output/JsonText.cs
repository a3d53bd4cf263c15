using System.Globalization;

namespace Bitbucket.Cli.Core.Output;

/// <summary>Minimal JSON string escaping shared by the printer.</summary>
internal static class JsonText
{
    /// <summary>
    /// Writes string content (without quotes) escaping only what JSON or a terminal needs: <c>"</c>, <c>\</c>,
    /// C0 controls, DEL, C1 controls and unpaired surrogates.
    /// </summary>
    /// <param name="alreadyEscaped">
    /// The text is raw JSON source whose escapes are already valid: keep <c>\</c> and <c>"</c> as they are.
    /// </param>
    public static void WriteEscaped(TextWriter output, ReadOnlySpan<char> text, bool alreadyEscaped)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? escape;
            switch (c)
            {
                case '"' when !alreadyEscaped:
                    escape = "\\\"";
                    break;
                case '\\' when !alreadyEscaped:
                    escape = "\\\\";
                    break;
                case '\n':
                    escape = "\\n";
                    break;
                case '\r':
                    escape = "\\r";
                    break;
                case '\t':
                    escape = "\\t";
                    break;
                case '\b':
                    escape = "\\b";
                    break;
                case '\f':
                    escape = "\\f";
                    break;
                default:
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
                    {
                        escape = Unicode(c);
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        i++;
                        continue;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        escape = Unicode(c);
                    }
                    else
                    {
                        continue;
                    }

                    break;
            }

            output.Write(text[start..i]);
            output.Write(escape);
            start = i + 1;
        }

        output.Write(text[start..]);
    }

    private static string Unicode(char c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
}
