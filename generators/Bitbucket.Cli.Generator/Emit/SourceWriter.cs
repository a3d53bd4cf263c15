using System.Collections.Generic;
using System.Text;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>
/// A StringBuilder with indentation and <c>\n</c> line endings (the same output on every OS), in the
/// spirit of the System.Text.Json generator's SourceWriter.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder builder = new();
    private int indent;

    /// <summary>Writes one line at the current indentation (an empty line stays empty).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < indent; i++)
            {
                builder.Append(IndentUnit);
            }

            builder.Append(text);
        }

        builder.Append('\n');
        return this;
    }

    /// <summary>Writes a multi-line chunk (a raw string literal), indenting each of its lines.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes items one per line separated by commas; the last is followed by <paramref name="end"/>.</summary>
    public SourceWriter CommaList(IReadOnlyList<string> items, string end)
    {
        for (var i = 0; i < items.Count; i++)
        {
            Line(items[i] + (i == items.Count - 1 ? end : ","));
        }

        return this;
    }

    public SourceWriter OpenBrace()
    {
        Line("{");
        indent++;
        return this;
    }

    public SourceWriter CloseBrace(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
        return this;
    }

    public SourceWriter Indent()
    {
        indent++;
        return this;
    }

    public SourceWriter Unindent()
    {
        indent--;
        return this;
    }

    public override string ToString() => builder.ToString();
}
