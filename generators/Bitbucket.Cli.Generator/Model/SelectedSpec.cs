namespace Bitbucket.Cli.Generator.Model;

/// <summary>The one spec the project generates from (null if it passes none), plus project-level problems.</summary>
internal sealed record SelectedSpec(ParseResult? Result, EquatableArray<DiagnosticInfo> Diagnostics);
