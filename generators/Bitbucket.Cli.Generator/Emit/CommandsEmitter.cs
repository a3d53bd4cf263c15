using System.Collections.Generic;
using System.Linq;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>
/// Emits one Cocona command class per group. Each command method only declares the command line and
/// forwards to <c>ApiInvoker</c>: path parameters become arguments, query and header parameters become
/// options, formatted to wire strings by <c>ParamFormat</c>.
/// </summary>
internal static class CommandsEmitter
{
    public static string Emit(GroupModel group, IReadOnlyList<EndpointModel> endpoints, string ns)
    {
        var invokerType = $"{GlobalNames.ApiInvoker}<global::{ns}.IBitbucketApi>";
        var w = SpecEmitter.Start(ns + ".Commands").Lines($$"""
            /// <summary>{{Literal.XmlDoc("bb " + group.Name + (group.Flavor == Flavor.Cloud ? string.Empty : " (" + group.Flavor.SpecName() + ")") + ": " + group.Description)}}</summary>
            public sealed partial class {{group.ClassName}}
            {
                private readonly {{invokerType}} _invoker;

                public {{group.ClassName}}({{invokerType}} invoker)
                {
                    _invoker = invoker;
                }
            """).Indent();

        foreach (var endpoint in endpoints)
        {
            w.Line();
            WriteCommand(w, endpoint, ns);
        }

        return w.CloseBrace().ToString();
    }

    private static void WriteCommand(SourceWriter w, EndpointModel e, string ns)
    {
        var summary = e.Deprecated ? "(deprecated) " + e.Summary : e.Summary;
        w.Lines($"""
            /// <summary>{Literal.XmlDoc(summary)}</summary>
            [{GlobalNames.Cocona}.Command({Literal.String(e.Name)}, Description = {Literal.String(summary)})]
            [{GlobalNames.EndpointHelp}({Literal.String(e.Group)}, {Literal.String(e.Name)})]
            public {GlobalNames.Task}<int> {e.MethodName}(
            """)
            .Indent()
            .CommaList(Signature(e), ")")
            .Lines($"""
                => _invoker.InvokeAsync(
                    global::{ns}.GeneratedEndpoints.{e.MemberName},
                    common,
                    {(e.HasBody ? "body" : "null")},
                    (api, {(e.HasBody ? "content" : "_")}, ct) => api.{e.MemberName}(
                """)
            .Indent()
            .Indent()
            .CommaList(CallArguments(e), "));")
            .Unindent()
            .Unindent()
            .Unindent();
    }

    /// <summary>
    /// Arguments in path order, the shared option sets, then required options (no C# default, so
    /// Cocona insists on them), then optional ones.
    /// </summary>
    private static List<string> Signature(EndpointModel e)
    {
        var list = new List<string>();
        foreach (var p in e.Parameters.Where(p => p.Location == ParamLocation.Path))
        {
            list.Add($"[{GlobalNames.Cocona}.Argument({Literal.String(p.CliName)}, Description = {Literal.String(HelpText(p))})] {ClrType(p)} {p.Identifier}");
        }

        list.Add($"{GlobalNames.CommonOptions} common");
        if (e.HasBody)
        {
            list.Add($"{GlobalNames.BodyOptions} body");
        }

        var options = e.Parameters.Where(p => p.Location != ParamLocation.Path).ToList();
        foreach (var p in options.Where(IsMandatoryOption))
        {
            list.Add($"{OptionAttribute(p)} {ClrType(p)} {p.Identifier}");
        }

        foreach (var p in options.Where(p => !IsMandatoryOption(p)))
        {
            var (type, defaultValue) = p.Type == ParamType.Boolean && p.Required ? ("bool", "false") : (ClrType(p) + "?", "null");
            list.Add($"{OptionAttribute(p)} {type} {p.Identifier} = {defaultValue}");
        }

        return list;
    }

    /// <summary>A required boolean is a flag that is always sent (false when absent), so it is not mandatory on the command line.</summary>
    private static bool IsMandatoryOption(ParameterModel p) => p.Required && p.Type != ParamType.Boolean;

    private static List<string> CallArguments(EndpointModel e)
    {
        var list = e.Parameters.Select(Argument).ToList();
        if (e.HasBody)
        {
            list.Add("content");
        }

        list.Add("ct");
        return list;
    }

    /// <summary>The wire string for one parameter, with the spec default applied when the option is absent.</summary>
    private static string Argument(ParameterModel p)
    {
        var value = p.Default is null ? p.Identifier : $"{p.Identifier} ?? {DefaultLiteral(p)}";
        var formatted = p.Type switch
        {
            ParamType.Integer => $"{GlobalNames.ParamFormat}.Integer({Literal.String(p.CliName)}, {value})",
            ParamType.Boolean => $"{GlobalNames.ParamFormat}.Boolean({value})",
            ParamType.Enum => $"{GlobalNames.ParamFormat}.OneOf({Literal.String(p.CliName)}, {value}, {string.Join(", ", p.Values.Select(Literal.String))})",
            _ => value,
        };

        if (p.Location != ParamLocation.Path)
        {
            return formatted;
        }

        // ParamFormat returns string? (null leaves the value out); a path value is never null. Every
        // path value is checked so that '.'/'..' can never change which endpoint is called.
        var pathValue = p.Type != ParamType.String ? formatted + "!" : formatted;
        return $"{GlobalNames.ParamFormat}.PathValue({Literal.String(p.CliName)}, {pathValue}, {(p.Slashes ? "true" : "false")})";
    }

    private static string DefaultLiteral(ParameterModel p) => p.Type switch
    {
        ParamType.Boolean => p.Default!,
        _ => Literal.String(p.Default),
    };

    /// <summary>
    /// Integers arrive as text and are checked by <c>ParamFormat.Integer</c>, so a bad value gets bb's
    /// own one-line usage error instead of Cocona's message about Nullable`1.
    /// </summary>
    private static string ClrType(ParameterModel p) => p.Type switch
    {
        ParamType.Boolean => "bool",
        _ => "string",
    };

    private static string OptionAttribute(ParameterModel p)
        => $"[{GlobalNames.Cocona}.Option({Literal.String(p.CliName)}, Description = {Literal.String(HelpText(p))}, ValueName = {Literal.String(ValueName(p))})]";

    private static string ValueName(ParameterModel p) => p.Type switch
    {
        ParamType.Integer => "N",
        ParamType.Boolean => "true|false",
        ParamType.Enum => "VALUE",
        _ => "TEXT",
    };

    /// <summary>What help says of a repository coordinate (<c>"context"</c>): bb fills it when both coordinates are left out.</summary>
    internal const string RepositoryContextHelp = "(default: from -R, BB_REPO or the git remote)";

    /// <summary>The description plus what the option accepts and what is sent without it.</summary>
    private static string HelpText(ParameterModel p)
    {
        var parts = new List<string>();
        if (p.Description.Length > 0)
        {
            parts.Add(p.Description);
        }

        if (p.Type == ParamType.Enum)
        {
            parts.Add("(one of: " + string.Join(", ", p.Values) + ")");
        }

        if (p.Default is not null)
        {
            parts.Add("(default: " + p.Default + ")");
        }

        if (p.Context is not null)
        {
            parts.Add(RepositoryContextHelp);
        }

        return string.Join(" ", parts);
    }
}
