using System.Collections.Generic;
using System.Linq;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>Emits <c>GeneratedEndpoints</c>: the spec as runtime data (EndpointInfo per endpoint, the default API origin).</summary>
internal static class EndpointsEmitter
{
    public static string Emit(SpecModel spec, string ns)
    {
        var w = SpecEmitter.Start(ns).Lines($"""
            /// <summary>What api-spec.json says about each endpoint, for help, output and the request runtime.</summary>
            public static partial class GeneratedEndpoints
            {"{"}
                /// <summary>The Cloud API's <c>baseUrl</c>: the default API origin of the built-in bitbucket.org host.</summary>
                public const string DefaultBaseUrl = {Literal.String(spec.DefaultBaseUrl)};
            """).Indent();

        foreach (var endpoint in spec.Endpoints)
        {
            w.Line();
            WriteEndpoint(w, endpoint);
        }

        // Declared after the fields: static initializers run in text order.
        w.Line();
        WriteList(w, $"public static {GlobalNames.ReadOnlyList}<{GlobalNames.EndpointInfo}> All {{ get; }} =", spec.Endpoints.Select(e => e.MemberName).ToList(), ";");
        return w.CloseBrace().ToString();
    }

    private static void WriteEndpoint(SourceWriter w, EndpointModel e)
    {
        w.Lines($"""
            /// <summary>{Literal.XmlDoc("bb " + e.Group + " " + e.Name + (e.Flavor == Flavor.Cloud ? string.Empty : " (" + e.Flavor.SpecName() + ")") + ": " + e.Summary)}</summary>
            public static readonly {GlobalNames.EndpointInfo} {e.MemberName} = new(
                Group: {Literal.String(e.Group)},
                Name: {Literal.String(e.Name)},
                Method: {Literal.String(e.Method)},
                PathTemplate: {Literal.String(e.Path)},
                Summary: {Literal.String(e.Summary)},
                Description: {Literal.String(e.Description)},
                Example: {Literal.String(e.Example)},
                Paginated: {Literal.Bool(e.Paginated)},
                Deprecated: {Literal.Bool(e.Deprecated)},
                BodyKind: {GlobalNames.BodyKind}.{e.BodyKind},
            """).Indent();
        WriteList(w, "Parameters:", e.Parameters.Select(Parameter).ToList(), ",");
        WriteList(w, "BodyFields:", e.BodyFields.Select(f => $"new(Name: {Literal.String(f.Name)}, Type: {Literal.String(f.Type)}, Required: {Literal.Bool(f.Required)}, Description: {Literal.String(f.Description)})").ToList(), ",");
        w.Line($"Columns: [{string.Join(", ", e.Columns.Select(Literal.String))}],")
            .Line($"Flavor: {GlobalNames.ApiFlavor}.{e.Flavor});")
            .Unindent();
    }

    private static string Parameter(ParameterModel p)
        => $"new(Name: {Literal.String(p.Name)}, CliName: {Literal.String(p.CliName)}, Location: {GlobalNames.ParameterLocation}.{p.Location}, "
            + $"Type: {Literal.String(p.Type.SpecWord())}, Required: {Literal.Bool(p.Required)}, Default: {Literal.String(p.Default)}, "
            + $"Description: {Literal.String(p.Description)}, Values: [{string.Join(", ", p.Values.Select(Literal.String))}]"
            + (p.Context is null ? string.Empty : $", Context: {Literal.String(p.Context)}") + ")";

    /// <summary>A collection expression: <c>[]</c> when empty, else one item per line.</summary>
    internal static void WriteList(SourceWriter w, string head, IReadOnlyList<string> items, string end)
    {
        if (items.Count == 0)
        {
            w.Line($"{head} []{end}");
            return;
        }

        w.Line(head).Line("[").Indent();
        foreach (var item in items)
        {
            w.Line(item + ",");
        }

        w.Unindent().Line("]" + end);
    }
}
