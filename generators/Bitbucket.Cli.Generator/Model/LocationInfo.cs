using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Bitbucket.Cli.Generator.Model;

/// <summary>
/// A position in api-spec.json as plain data (Roslyn's <see cref="Location"/> is not safe to cache in the
/// incremental model). Lines and columns are 0-based like <see cref="LinePosition"/>; MSBuild shows them +1.
/// </summary>
internal readonly record struct LocationInfo(
    string FilePath,
    int Start,
    int Length,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn)
{
    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
