namespace Bitbucket.Cli.Generator.Model;

/// <summary>The outcome of parsing one spec file: what can be generated, and what is wrong (as data).</summary>
internal sealed record ParseResult(string Path, SpecModel Spec, EquatableArray<DiagnosticInfo> Diagnostics);
