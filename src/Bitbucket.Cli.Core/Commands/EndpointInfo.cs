namespace Bitbucket.Cli.Core.Commands;

/// <summary>Where a spec parameter travels in the HTTP request.</summary>
public enum ParameterLocation
{
    Path,
    Query,
    Header,
}

/// <summary>How the request body of an endpoint is encoded.</summary>
public enum BodyKind
{
    None,
    Json,
    Form,
}

/// <summary>One parameter of an endpoint, as declared in api-spec.json.</summary>
/// <param name="Name">The wire name (<c>repo_slug</c>).</param>
/// <param name="CliName">The command-line name (<c>repo-slug</c>).</param>
/// <param name="Type">string, integer, boolean or enum.</param>
/// <param name="Context">For a repository coordinate, <c>owner</c> (workspace or project key) or <c>repo</c> (slug): filled from
/// <c>-R</c>, <c>BB_REPO</c> or the git remote when the command line leaves both out; else null.</param>
public sealed record ParameterInfo(
    string Name,
    string CliName,
    ParameterLocation Location,
    string Type,
    bool Required,
    string? Default,
    string Description,
    IReadOnlyList<string> Values,
    string? Context = null);

/// <summary>One described field of a request body.</summary>
public sealed record BodyFieldInfo(string Name, string Type, bool Required, string Description);

/// <summary>A command group (<c>bb branches …</c>).</summary>
public sealed record GroupInfo(string Name, string Description);

/// <summary>Everything the runtime needs to know about one generated endpoint command.</summary>
/// <param name="Flavor">The API (Cloud or Data Center) the endpoint belongs to; a host of the other flavour never runs it.</param>
public sealed record EndpointInfo(
    string Group,
    string Name,
    string Method,
    string PathTemplate,
    string Summary,
    string Description,
    string? Example,
    bool Paginated,
    bool Deprecated,
    BodyKind BodyKind,
    IReadOnlyList<ParameterInfo> Parameters,
    IReadOnlyList<BodyFieldInfo> BodyFields,
    IReadOnlyList<string> Columns,
    ApiFlavor Flavor = ApiFlavor.Cloud);
