namespace Bitbucket.Cli.Generator.Model;

/// <summary>One endpoint parameter, with every name the emitters need already decided.</summary>
/// <param name="Name">Wire name as written in the spec (<c>repo_slug</c>, <c>X-Request-Id</c>).</param>
/// <param name="CliName">Argument or option name on the command line (<c>repo-slug</c>).</param>
/// <param name="Identifier">C# parameter name, @-escaped if needed (<c>repoSlug</c>, <c>@class</c>).</param>
/// <param name="Type">The spec's <c>type</c>; <see cref="ParamTypeExtensions.SpecWord"/> gives the word back.</param>
/// <param name="Default">The default as sent on the wire (<c>10</c>, <c>true</c>, <c>OPEN</c>), or null.</param>
/// <param name="Slashes">A path parameter whose <c>/</c> is sent as a path separator (Refit <c>{**name}</c>), not as <c>%2F</c>.</param>
/// <param name="Context">A path parameter that is a repository coordinate (<c>owner</c> or <c>repo</c>, the spec's <c>"context"</c>), filled from <c>-R</c>, <c>BB_REPO</c> or the git remote when omitted; else null.</param>
internal sealed record ParameterModel(
    string Name,
    string CliName,
    string Identifier,
    ParamLocation Location,
    ParamType Type,
    bool Required,
    string? Default,
    string Description,
    EquatableArray<string> Values,
    bool Slashes,
    string? Context = null);
