using System.Text.Json.Nodes;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>What to take from the OpenAPI document.</summary>
/// <param name="Tags">Keep operations carrying any of these tags (case-insensitive); empty keeps all.</param>
/// <param name="PathPrefixes">Keep operations whose path starts with any of these, given with or without
/// the server's version segment; empty keeps all. With both filters an operation must pass both.</param>
/// <param name="Group">Put every imported endpoint in this group instead of deriving one.</param>
/// <param name="Api">The API the document describes (<c>cloud</c> or <c>datacenter</c>); null recognises it from
/// the server URL (a path of <c>/rest</c>, as in <c>http://{baseurl}/rest</c>, is Data Center).</param>
internal sealed record ImportOptions(IReadOnlyList<string> Tags, IReadOnlyList<string> PathPrefixes, string? Group = null, string? Api = null)
{
    public static ImportOptions All { get; } = new([], []);
}

/// <summary>Facts about the document as a whole.</summary>
/// <param name="Origin">Scheme + host of <c>servers[0].url</c>, e.g. https://api.bitbucket.org.</param>
/// <param name="BasePath">Path of <c>servers[0].url</c> without trailing slash, e.g. /2.0 or /rest; empty if none.</param>
/// <param name="Api">The API the entries belong to: <c>cloud</c> or <c>datacenter</c>.</param>
internal sealed record DocumentInfo(string Title, string Origin, string BasePath, string Api = Apis.Cloud)
{
    public bool IsDataCenter => Api == Apis.DataCenter;
}

/// <summary>The API names of spec format v2 (the flavours bb knows).</summary>
internal static class Apis
{
    public const string Cloud = "cloud";
    public const string DataCenter = "datacenter";
}

/// <summary>One OpenAPI operation translated into spec terms, before it gets a group and a name.</summary>
/// <param name="Path">The spec path: the server's base path + the OpenAPI path (after fix-ups).</param>
/// <param name="OpenApiPath">The path as written in the document, used for naming.</param>
/// <param name="BodyKind">none, json or form.</param>
internal sealed record ImportedOperation(
    string Method,
    string Path,
    string OpenApiPath,
    string? Tag,
    string? OperationId,
    string Summary,
    bool Deprecated,
    bool Paginated,
    IReadOnlyList<ImportedParameter> Parameters,
    string BodyKind,
    IReadOnlyList<ImportedField> Fields,
    string Api = Apis.Cloud)
{
    /// <summary>Identity used for merging: method + path.</summary>
    public string Identity => SpecIdentity.Of(Method, Path);
}

/// <summary>A parameter in spec terms (type is string, integer, boolean or enum).</summary>
/// <param name="Option">The CLI option name when the one derived from <paramref name="Name"/> is bb's own or another parameter's.</param>
internal sealed record ImportedParameter(string Name, string In, string Type, IReadOnlyList<string> Values, bool Required, JsonValue? Default, string? Option = null);

/// <summary>A top-level body property (type is string, integer, boolean, number, object or array).</summary>
internal sealed record ImportedField(string Name, string Type, bool Required, string? Description);

internal static class SpecIdentity
{
    public static string Of(string method, string path) => method.ToUpperInvariant() + " " + path;
}

internal enum ReportKind
{
    Imported,
    Refreshed,
    Kept,
    Fixed,
    Skipped,
}

/// <summary>One line of the import report (written to stderr).</summary>
internal sealed record ReportLine(ReportKind Kind, string Method, string Path, string Message)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant(),-9} {Method} {Path}: {Message}";
}
