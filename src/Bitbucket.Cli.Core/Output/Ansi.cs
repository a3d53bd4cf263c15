namespace Bitbucket.Cli.Core.Output;

/// <summary>The SGR colour codes used for output, in one place (the palette follows gh and jq).</summary>
internal static class Ansi
{
    public const string Reset = "\u001b[0m";
    public const string Key = "\u001b[1;34m";     // bold blue
    public const string String = "\u001b[32m";    // green
    public const string Number = "\u001b[36m";    // cyan
    public const string Boolean = "\u001b[33m";   // yellow
    public const string Null = "\u001b[90m";      // grey
    public const string Bold = "\u001b[1m";
}
