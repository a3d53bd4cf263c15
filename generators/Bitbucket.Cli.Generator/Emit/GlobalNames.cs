namespace Bitbucket.Cli.Generator.Emit;

/// <summary>Fully qualified names the generated code uses (always <c>global::</c>, never a using).</summary>
internal static class GlobalNames
{
    public const string Task = "global::System.Threading.Tasks.Task";
    public const string HttpResponseTask = "global::System.Threading.Tasks.Task<global::System.Net.Http.HttpResponseMessage>";
    public const string HttpContent = "global::System.Net.Http.HttpContent";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string ReadOnlyList = "global::System.Collections.Generic.IReadOnlyList";

    public const string Commands = "global::Bitbucket.Cli.Core.Commands";
    public const string EndpointInfo = Commands + ".EndpointInfo";
    public const string ParameterInfo = Commands + ".ParameterInfo";
    public const string BodyFieldInfo = Commands + ".BodyFieldInfo";
    public const string ParameterLocation = Commands + ".ParameterLocation";
    public const string BodyKind = Commands + ".BodyKind";
    public const string ParamFormat = Commands + ".ParamFormat";
    public const string CommonOptions = Commands + ".CommonOptions";
    public const string BodyOptions = Commands + ".BodyOptions";
    public const string ApiInvoker = Commands + ".ApiInvoker";
    public const string EndpointHelp = Commands + ".EndpointHelp";
    public const string ApiDescription = "global::Bitbucket.Cli.Core.ApiDescription";
    public const string PagingStyle = "global::Bitbucket.Cli.Core.PagingStyle";
    public const string ApiFlavor = "global::Bitbucket.Cli.Core.ApiFlavor";
    public const string SignatureMethod = "global::Bitbucket.Cli.Core.OAuth.SignatureMethod";

    public const string Refit = "global::Refit";
    public const string Cocona = "global::Cocona";
    public const string CoconaCommandsBuilder = "global::Cocona.Builder.ICoconaCommandsBuilder";
}
