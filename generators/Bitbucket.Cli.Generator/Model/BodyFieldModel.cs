namespace Bitbucket.Cli.Generator.Model;

/// <summary>One documented request-body field (<c>source.branch.name</c>); dots nest.</summary>
internal sealed record BodyFieldModel(string Name, string Type, bool Required, string Description);
