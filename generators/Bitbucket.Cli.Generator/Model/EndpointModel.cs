namespace Bitbucket.Cli.Generator.Model;

/// <summary>One valid endpoint of the spec and the C# names generated for it.</summary>
/// <param name="Method">Upper-case HTTP method (<c>GET</c>).</param>
/// <param name="RefitAttribute">Refit attribute class name without "Attribute" (<c>Get</c>).</param>
/// <param name="MemberName">Name of the Refit method and the GeneratedEndpoints field (<c>PullRequestsListComments</c>).</param>
/// <param name="MethodName">Name of the command method in the group's class (<c>ListComments</c>).</param>
/// <param name="ClassName">The group's command class (<c>PullRequestsCommands</c>).</param>
/// <param name="Flavor">The API (<c>"api"</c>) the endpoint belongs to; names of Data Center endpoints start with <c>DataCenter</c>.</param>
internal sealed record EndpointModel(
    Flavor Flavor,
    string Group,
    string Name,
    string Method,
    string RefitAttribute,
    string Path,
    string Summary,
    string Description,
    string? Example,
    bool Paginated,
    bool Deprecated,
    BodyKind BodyKind,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<BodyFieldModel> BodyFields,
    EquatableArray<string> Columns,
    string MemberName,
    string MethodName,
    string ClassName)
{
    public bool HasBody => BodyKind != BodyKind.None;
}
