namespace Bitbucket.Cli.Generator.Emit;

/// <summary>One emitted source file.</summary>
internal readonly record struct GeneratedFile(string HintName, string Source);
