using System.Collections.Generic;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Parsing;

/// <summary>
/// Turns character offsets into 0-based line/column pairs using the same line breaks as Roslyn's
/// SourceText (CR, LF, CRLF, NEL, LS, PS), so our positions match what the compiler would compute.
/// </summary>
internal sealed class LineMap
{
    private readonly string path;
    private readonly List<int> lineStarts = [0];

    public LineMap(string path, string text)
    {
        this.path = path;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    lineStarts.Add(i + 1);
                    break;
                case '\n':
                case '\u0085':
                case '\u2028':
                case '\u2029':
                    lineStarts.Add(i + 1);
                    break;
            }
        }
    }

    public LocationInfo Locate(int start, int length)
    {
        var (startLine, startColumn) = Position(start);
        var (endLine, endColumn) = Position(start + length);
        return new LocationInfo(this.path, start, length, startLine, startColumn, endLine, endColumn);
    }

    private (int Line, int Column) Position(int offset)
    {
        var lo = 0;
        var hi = lineStarts.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (lineStarts[mid] <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return (lo, offset - lineStarts[lo]);
    }
}
