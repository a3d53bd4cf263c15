namespace Bitbucket.Cli.Generator.Model;

/// <summary>Build properties the generator reads (<c>BbSpecNamespace</c>), already validated.</summary>
/// <param name="Error">Set when the property was unusable and the default namespace is used instead.</param>
internal readonly record struct GeneratorOptions(string Namespace, DiagnosticInfo? Error);
