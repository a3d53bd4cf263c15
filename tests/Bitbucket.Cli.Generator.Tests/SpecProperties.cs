using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>One spec endpoint as the checks found it in the generated code.</summary>
internal sealed record CheckedEndpoint(
    string Api,
    string Group,
    string Name,
    string Method,
    string Path,
    string ApiMethod,
    IReadOnlyList<(string Name, string In, bool Slashes)> Parameters,
    IReadOnlyList<string> Options,
    IReadOnlyList<string> Arguments,
    string Summary,
    bool HasBody);

internal sealed record SpecCheck(IReadOnlyList<CheckedEndpoint> Endpoints, IReadOnlyList<string> Violations);

/// <summary>
/// What must hold for the generated code of ANY valid spec, read from the spec itself rather than
/// from a copy of the expected output: no generator diagnostic; the code compiles without a warning;
/// every endpoint has exactly one command (registered under its group, with a description) that calls
/// exactly one Refit method, whose verb and route are the endpoint's method and path; every parameter
/// is bound on that method where the spec puts it (path placeholder, query, header) and is set from a
/// command-line argument or option; the body is sent exactly when the spec has one; names are unique.
/// So a new or edited endpoint in api-spec.json is checked, never merely "different from last time".
/// </summary>
internal static class SpecProperties
{
    private const string Refit = "Refit.";

    /// <param name="tamper">Rewrites a generated file before compiling (hint name, text → text); for proving the checks can fail.</param>
    public static SpecCheck Check(string specText, Func<string, string, string>? tamper = null)
    {
        var violations = new List<string>();
        var spec = JsonNode.Parse(specText)!.AsObject();
        var result = GeneratorHarness.Run(specText);
        violations.AddRange(result.Diagnostics.Select(d => "generator: " + GeneratorHarness.Explain(d)));
        if (result.Exception is not null)
        {
            violations.Add("generator threw: " + result.Exception);
        }

        var trees = result.GeneratedSources
            .Select(s => tamper is null ? s.SyntaxTree : CSharpSyntaxTree.ParseText(tamper(s.HintName, s.SourceText.ToString()), GeneratorHarness.ParseOptions, s.HintName))
            .ToArray();
        var compilation = GeneratorHarness.Compilation(trees);
        violations.AddRange(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => "compiler: " + GeneratorHarness.Explain(d)));

        var api = compilation.GetTypeByMetadataName("Bitbucket.Cli.Api.IBitbucketApi");
        if (api is null)
        {
            violations.Add("no Bitbucket.Cli.Api.IBitbucketApi");
            return new([], violations);
        }

        var apiMethods = api.GetMembers().OfType<IMethodSymbol>().ToList();
        violations.AddRange(apiMethods.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => $"Refit method name {g.Key} is used {g.Count()} times"));

        var commands = AllTypes(compilation.Assembly.GlobalNamespace)
            .SelectMany(t => t.GetMembers().OfType<IMethodSymbol>())
            .Select(m => (Method: m, Help: Attribute(m, "Bitbucket.Cli.Core.Commands.EndpointHelpAttribute")))
            .Where(c => c.Help is not null)
            .ToList();
        foreach (var type in commands.GroupBy(c => c.Method.ContainingType, SymbolEqualityComparer.Default))
        {
            violations.AddRange(type.GroupBy(c => CommandName(c.Method)).Where(g => g.Count() > 1).Select(g => $"{type.Key!.Name}: command name '{g.Key}' is used {g.Count()} times"));
        }

        var registered = RegisteredGroups(compilation, violations);
        var endpoints = new List<CheckedEndpoint>();
        foreach (var endpoint in spec["endpoints"]!.AsArray().Select(e => e!.AsObject()))
        {
            var group = (string)endpoint["group"]!;
            var name = (string)endpoint["name"]!;
            var apiName = ApiOf(endpoint);
            var label = apiName == "cloud" ? $"{group} {name}" : $"{apiName} {group} {name}";
            // The same group and name may exist once per API; each API's commands live in its own classes.
            var matches = commands
                .Where(c => (string?)c.Help!.ConstructorArguments[0].Value == group && (string?)c.Help.ConstructorArguments[1].Value == name)
                .Where(c => registered.Any(r => r.Key.StartsWith(apiName + ":", StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(r.Value, c.Method.ContainingType))
                    || !registered.Values.Contains(c.Method.ContainingType, SymbolEqualityComparer.Default))
                .ToList();
            if (matches.Count != 1)
            {
                violations.Add($"{label}: {matches.Count} commands carry EndpointHelp(\"{group}\", \"{name}\")");
                continue;
            }

            var command = matches[0].Method;
            var checkedEndpoint = CheckEndpoint(label, endpoint, command, api, compilation, registered, violations);
            if (checkedEndpoint is not null)
            {
                endpoints.Add(checkedEndpoint);
            }
        }

        return new(endpoints, violations);
    }

    private static CheckedEndpoint? CheckEndpoint(
        string label,
        JsonObject endpoint,
        IMethodSymbol command,
        INamedTypeSymbol api,
        CSharpCompilation compilation,
        Dictionary<string, INamedTypeSymbol> registered,
        List<string> violations)
    {
        var group = (string)endpoint["group"]!;
        var apiName = ApiOf(endpoint);
        var method = (string)endpoint["method"]!;
        var path = (string)endpoint["path"]!;
        var summary = (string?)endpoint["summary"] ?? "";
        var parameters = (endpoint["parameters"]?.AsArray() ?? [])
            .Select(p => ((string)p!["name"]!, (string)p["in"]!, (bool?)p["slashes"] ?? false))
            .ToList();
        var hasBody = endpoint["body"]?["kind"] is JsonValue kind && (string?)kind is { } k && k != "none";

        // The command: named after the endpoint, described, and reachable as bb <group> <name>.
        if (CommandName(command) != (string)endpoint["name"]!)
        {
            violations.Add($"{label}: the command is named '{CommandName(command)}'");
        }

        if (string.IsNullOrWhiteSpace(Attribute(command, "Cocona.CommandAttribute")?.NamedArguments.FirstOrDefault(a => a.Key == "Description").Value.Value as string))
        {
            violations.Add($"{label}: the command has no description");
        }

        if (!registered.TryGetValue(apiName + ":" + group, out var groupType) || !SymbolEqualityComparer.Default.Equals(groupType, command.ContainingType))
        {
            violations.Add($"{label}: {command.ContainingType.Name} is not registered as the group '{group}' of the {apiName} API");
        }

        var options = command.Parameters.Select(p => Attribute(p, "Cocona.OptionAttribute")).Where(a => a is not null).Select(a => (string)a!.ConstructorArguments[0].Value!).ToList();
        var arguments = command.Parameters.Select(p => Attribute(p, "Cocona.ArgumentAttribute")).Where(a => a is not null).Select(a => (string)a!.ConstructorArguments[0].Value!).ToList();

        // The one Refit call the command makes.
        var syntax = (MethodDeclarationSyntax)command.DeclaringSyntaxReferences.Single().GetSyntax();
        var model = compilation.GetSemanticModel(syntax.SyntaxTree);
        var calls = syntax.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(i => (Syntax: i, Symbol: model.GetSymbolInfo(i).Symbol as IMethodSymbol))
            .Where(c => c.Symbol is not null && SymbolEqualityComparer.Default.Equals(c.Symbol.ContainingType, api))
            .ToList();
        if (calls.Count != 1)
        {
            violations.Add($"{label}: the command calls {calls.Count} IBitbucketApi methods");
            return null;
        }

        var (call, target) = (calls[0].Syntax, calls[0].Symbol!);

        // Verb and route.
        var verbs = target.GetAttributes().Where(a => DerivesFrom(a.AttributeClass, "Refit.HttpMethodAttribute")).ToList();
        if (verbs.Count != 1)
        {
            violations.Add($"{label}: {target.Name} has {verbs.Count} Refit HTTP method attributes");
            return null;
        }

        var verb = verbs[0].AttributeClass!.Name.Replace("Attribute", "", StringComparison.Ordinal).ToUpperInvariant();
        var route = (string)verbs[0].ConstructorArguments[0].Value!;
        if (verb != method)
        {
            violations.Add($"{label}: {target.Name} is [{verbs[0].AttributeClass!.Name}], the spec says {method}");
        }

        if (route.Replace("{**", "{", StringComparison.Ordinal) != path)
        {
            violations.Add($"{label}: {target.Name} has the route {route}, the spec says {path}");
        }

        // Every parameter bound where the spec puts it, and set from the command line.
        var bound = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        foreach (var (name, location, slashes) in parameters)
        {
            var parameter = target.Parameters.FirstOrDefault(p => location switch
            {
                "path" => Alias(p) == name && !IsRefit(p, "QueryAttribute") && !IsRefit(p, "HeaderAttribute") && !IsRefit(p, "BodyAttribute"),
                "query" => Alias(p) == name && IsRefit(p, "QueryAttribute"),
                "header" => Attribute(p, Refit + "HeaderAttribute")?.ConstructorArguments[0].Value as string == name,
                _ => false,
            });
            if (parameter is null)
            {
                violations.Add($"{label}: parameter '{name}' ({location}) is not bound on {target.Name}");
                continue;
            }

            bound.Add(parameter);
            var placeholder = slashes ? "{**" + name + "}" : "{" + name + "}";
            if (location == "path" && !route.Contains(placeholder, StringComparison.Ordinal))
            {
                violations.Add($"{label}: the route {route} has no {placeholder}");
            }

            var argument = call.ArgumentList.Arguments.ElementAtOrDefault(parameter.Ordinal)?.Expression;
            var fromCommandLine = argument?.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                .Select(id => model.GetSymbolInfo(id).Symbol)
                .OfType<IParameterSymbol>()
                .Any(p => SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, command)
                    && (Attribute(p, "Cocona.OptionAttribute") is not null || Attribute(p, "Cocona.ArgumentAttribute") is not null)) ?? false;
            if (!fromCommandLine)
            {
                violations.Add($"{label}: parameter '{name}' is not set from a command-line argument or option");
            }
        }

        var body = target.Parameters.Where(p => IsRefit(p, "BodyAttribute")).ToList();
        if (body.Count != (hasBody ? 1 : 0))
        {
            violations.Add($"{label}: {target.Name} has {body.Count} [Body] parameters, the spec has {(hasBody ? "a" : "no")} body");
        }

        var unexpected = target.Parameters
            .Where(p => !bound.Contains(p) && !body.Contains(p, SymbolEqualityComparer.Default) && p.Type.ToDisplayString() != "System.Threading.CancellationToken")
            .Select(p => p.Name);
        violations.AddRange(unexpected.Select(p => $"{label}: {target.Name} has a parameter '{p}' the spec does not have"));

        return new(apiName, group, (string)endpoint["name"]!, method, path, target.Name, parameters, options, arguments, summary, hasBody);
    }

    /// <summary>The endpoint's API: <c>cloud</c> unless it names another.</summary>
    private static string ApiOf(JsonObject endpoint) => (string?)endpoint["api"] ?? "cloud";

    /// <summary>
    /// "api:group" → commands class, from GeneratedCommands.Register's AddSubCommand(app, "group", x => AddCommands&lt;T&gt;(x))
    /// calls, each inside the <c>if (flavor == ApiFlavor.X)</c> block of its API.
    /// </summary>
    private static Dictionary<string, INamedTypeSymbol> RegisteredGroups(CSharpCompilation compilation, List<string> violations)
    {
        var groups = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol { Name: "AddSubCommand" } || invocation.ArgumentList.Arguments.Count < 3)
                {
                    continue;
                }

                var name = model.GetConstantValue(invocation.ArgumentList.Arguments[1].Expression).Value as string;
                var type = invocation.ArgumentList.Arguments[2].DescendantNodes().OfType<InvocationExpressionSyntax>()
                    .Select(i => model.GetSymbolInfo(i).Symbol as IMethodSymbol)
                    .FirstOrDefault(m => m is { Name: "AddCommands", TypeArguments.Length: 1 })?.TypeArguments[0] as INamedTypeSymbol;
                if (name is null || type is null)
                {
                    continue;
                }

                var flavor = invocation.Ancestors().OfType<IfStatementSyntax>().Select(i => i.Condition.ToString()).FirstOrDefault(c => c.Contains("ApiFlavor.", StringComparison.Ordinal));
                var api = flavor?.Contains("ApiFlavor.DataCenter", StringComparison.Ordinal) == true ? "datacenter" : "cloud";
                if (!groups.TryAdd(api + ":" + name, type))
                {
                    violations.Add($"the group '{name}' is registered twice for the {api} API");
                }
            }
        }

        return groups;
    }

    private static string CommandName(IMethodSymbol command)
        => Attribute(command, "Cocona.CommandAttribute")?.ConstructorArguments.FirstOrDefault().Value as string ?? "(no [Command])";

    private static string Alias(IParameterSymbol parameter)
        => Attribute(parameter, Refit + "AliasAsAttribute")?.ConstructorArguments[0].Value as string ?? parameter.Name;

    private static bool IsRefit(IParameterSymbol parameter, string attribute) => Attribute(parameter, Refit + attribute) is not null;

    private static AttributeData? Attribute(ISymbol symbol, string fullName)
        => symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == fullName);

    private static bool DerivesFrom(INamedTypeSymbol? type, string fullName)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() == fullName)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
        => ns.GetTypeMembers().Concat(ns.GetNamespaceMembers().SelectMany(AllTypes));
}
