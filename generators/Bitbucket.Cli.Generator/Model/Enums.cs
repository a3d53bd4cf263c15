namespace Bitbucket.Cli.Generator.Model;

/// <summary>Mirror of Bitbucket.Cli.Core.Commands.ParameterLocation (the generator cannot reference Core).</summary>
internal enum ParamLocation
{
    Path,
    Query,
    Header,
}

/// <summary>A parameter's declared <c>type</c>; decides the C# option type and the wire formatting.</summary>
internal enum ParamType
{
    String,
    Integer,
    Boolean,
    Enum,
}

internal static class ParamTypeExtensions
{
    /// <summary>The spec's word for the type, as written in api-spec.json and shown by the runtime (EndpointInfo).</summary>
    public static string SpecWord(this ParamType type) => type switch
    {
        ParamType.Integer => "integer",
        ParamType.Boolean => "boolean",
        ParamType.Enum => "enum",
        _ => "string",
    };
}

/// <summary>Mirror of Bitbucket.Cli.Core.Commands.BodyKind.</summary>
internal enum BodyKind
{
    None,
    Json,
    Form,
}
