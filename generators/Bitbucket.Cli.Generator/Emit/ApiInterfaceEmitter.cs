using System.Collections.Generic;
using System.Linq;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>
/// Emits <c>IBitbucketApi</c>: one Refit method per endpoint. Refit's generator stubs it in the tool
/// project (through an interface that inherits it), never here.
/// </summary>
internal static class ApiInterfaceEmitter
{
    public static string Emit(SpecModel spec, string ns)
    {
        var w = SpecEmitter.Start(ns)
            .Line("/// <summary>Every endpoint of api-spec.json (of every API; Data Center ones start with DataCenter) as a Refit method. Query and header values are pre-formatted strings; null leaves them out.</summary>")
            .Line("public partial interface IBitbucketApi")
            .OpenBrace();
        for (var i = 0; i < spec.Endpoints.Count; i++)
        {
            if (i > 0)
            {
                w.Line();
            }

            WriteMethod(w, spec.Endpoints[i]);
        }

        return w.CloseBrace().ToString();
    }

    private static void WriteMethod(SourceWriter w, EndpointModel endpoint)
    {
        var parameters = new List<string>();
        foreach (var p in endpoint.Parameters)
        {
            parameters.Add(p.Location switch
            {
                ParamLocation.Path => $"[{GlobalNames.Refit}.AliasAs({Literal.String(p.Name)})] string {p.Identifier}",
                ParamLocation.Query => $"[{GlobalNames.Refit}.AliasAs({Literal.String(p.Name)}), {GlobalNames.Refit}.Query] string? {p.Identifier}",
                _ => $"[{GlobalNames.Refit}.Header({Literal.String(p.Name)})] string? {p.Identifier}",
            });
        }

        if (endpoint.HasBody)
        {
            parameters.Add($"[{GlobalNames.Refit}.Body] {GlobalNames.HttpContent}? body");
        }

        parameters.Add($"{GlobalNames.CancellationToken} cancellationToken");

        w.Line($"/// <summary>{Literal.XmlDoc(endpoint.Method + " " + endpoint.Path + ": " + endpoint.Summary)}</summary>")
            .Line($"[{GlobalNames.Refit}.{endpoint.RefitAttribute}({Literal.String(RefitPath(endpoint))})]")
            .Line($"{GlobalNames.HttpResponseTask} {endpoint.MemberName}(")
            .Indent();
        w.CommaList(parameters, ");");
        w.Unindent();
    }

    /// <summary>
    /// The path as a Refit route: a <c>"slashes": true</c> parameter becomes Refit's round-tripping
    /// <c>{**name}</c>, which escapes each <c>/</c>-separated part but keeps the <c>/</c> itself
    /// (Refit requires a string parameter for it, which every path parameter here is).
    /// </summary>
    private static string RefitPath(EndpointModel endpoint)
    {
        var path = endpoint.Path;
        foreach (var p in endpoint.Parameters)
        {
            if (p.Location == ParamLocation.Path && p.Slashes)
            {
                path = path.Replace("{" + p.Name + "}", "{**" + p.Name + "}");
            }
        }

        return path;
    }
}
