using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Bitbucket.Cli.Generator.Json;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Parsing;

internal sealed partial class SpecParser
{
    private static readonly string[] EndpointKeys =
        ["api", "group", "name", "method", "path", "summary", "description", "example", "parameters", "body", "paginated", "deprecated", "columns"];

    /// <summary>HTTP method → Refit attribute name.</summary>
    private static readonly Dictionary<string, string> Methods = new(StringComparer.Ordinal)
    {
        ["GET"] = "Get",
        ["POST"] = "Post",
        ["PUT"] = "Put",
        ["PATCH"] = "Patch",
        ["DELETE"] = "Delete",
        ["HEAD"] = "Head",
    };

    /// <summary>Members the emitters write next to the per-endpoint ones (and the types that hold them).</summary>
    private static readonly HashSet<string> ReservedMemberNames =
        new(StringComparer.Ordinal) { "All", "DefaultBaseUrl", "GeneratedEndpoints", "IBitbucketApi" };

    /// <summary>Class names (and hint names) the generator emits for itself.</summary>
    private static readonly HashSet<string> ReservedClassNames =
        new(StringComparer.Ordinal) { "GeneratedApis", "GeneratedCommands", "GeneratedEndpoints" };

    private List<EndpointModel> ParseEndpoints(ObjectFields top, GroupTable? groups, Dictionary<Flavor, ApiModel?>? apis)
    {
        var array = ExpectArray("endpoints", top.Required("endpoints", "[ { \"group\": \"repos\", \"name\": \"list\", ... } ]"));
        var endpoints = new List<EndpointModel>();
        var commands = new Dictionary<string, JsonString>(StringComparer.Ordinal);
        var members = new Dictionary<string, EndpointModel>(StringComparer.Ordinal);
        for (var i = 0; i < array.Items.Count; i++)
        {
            this.cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var (endpoint, nameNode) = ParseEndpoint(array.Items[i], i, groups, apis);
                CheckUnique(endpoint, nameNode, commands, members);
                endpoints.Add(endpoint);
            }
            catch (SpecError e)
            {
                ReportError(e);
            }
        }

        return endpoints;
    }

    private (EndpointModel Endpoint, JsonString NameNode) ParseEndpoint(JsonNode node, int index, GroupTable? groups, Dictionary<Flavor, ApiModel?>? apis)
    {
        var e = Open(node, "this endpoint", EndpointKeys, fatal: true, jsonKey: "endpoints[" + index.ToString(CultureInfo.InvariantCulture) + "]");
        var flavor = ResolveApi(e, apis);
        var groupNode = e.RequiredStringNode("group", "\"repos\"");
        var nameNode = e.RequiredStringNode("name", "\"list\"");
        var methodNode = e.RequiredStringNode("method", "\"GET\"");
        var pathNode = e.RequiredStringNode("path", "\"/2.0/repositories/{workspace}\"");
        var summary = e.RequiredString("summary", "\"one line shown in the command list\"");
        var description = e.OptionalString("description") ?? string.Empty;
        var example = e.OptionalString("example");
        var paginated = e.OptionalBool("paginated");
        var deprecated = e.OptionalBool("deprecated");

        var className = flavor.NamePrefix() + ResolveGroup(groupNode, groups);
        var name = nameNode.Value;
        if (!Naming.IsKebabCase(name))
        {
            throw NotKebabCase("Command", nameNode);
        }

        var refitAttribute = ResolveMethod(methodNode);
        var placeholders = ParsePlaceholders(pathNode);
        var (bodyKind, bodyFields) = ParseBody(e);
        var parameters = ParseParameters(e, bodyKind != BodyKind.None);
        var ordered = OrderParameters(placeholders, parameters);
        CheckContext(ordered, parameters);
        var columns = ParseColumns(e);

        var endpoint = new EndpointModel(
            Flavor: flavor,
            Group: groupNode.Value,
            Name: name,
            Method: methodNode.Value,
            RefitAttribute: refitAttribute,
            Path: pathNode.Value,
            Summary: summary,
            Description: description,
            Example: example,
            Paginated: paginated,
            Deprecated: deprecated,
            BodyKind: bodyKind,
            Parameters: ordered.ToEquatableArray(),
            BodyFields: bodyFields,
            Columns: columns,
            MemberName: flavor.NamePrefix() + Naming.PascalCase(groupNode.Value) + Naming.PascalCase(name),
            MethodName: Naming.PascalCase(name),
            ClassName: className);
        return (endpoint, nameNode);
    }

    /// <returns>The group's class name.</returns>
    private string ResolveGroup(JsonString groupNode, GroupTable? groups)
    {
        var group = groupNode.Value;
        if (groups is null)
        {
            // "groups" is missing or broken (reported once); accept the endpoint's group as written.
            if (!Naming.IsKebabCase(group))
            {
                throw NotKebabCase("Group", groupNode);
            }

            return Naming.PascalCase(group) + "Commands";
        }

        if (groups.Lookup.TryGetValue(group, out var declared))
        {
            // A wrong declaration was already reported at the declaration; its endpoints are left out quietly.
            return declared.Model?.ClassName ?? throw SpecError.Silent;
        }

        var similar = groups.Ordered
            .Select(g => g.Name)
            .Where(g => Naming.EditDistance(g, group) <= Math.Max(1, g.Length / 3))
            .OrderBy(g => Naming.EditDistance(g, group))
            .FirstOrDefault();
        var hint = similar is null ? string.Empty : $", or did you mean \"{similar}\"?";
        throw Fail(DiagnosticDescriptors.UndeclaredGroup, groupNode, group, hint);
    }

    private string ResolveMethod(JsonString methodNode)
    {
        var method = methodNode.Value;
        if (Methods.TryGetValue(method, out var refit))
        {
            return refit;
        }

        var upper = method.ToUpperInvariant();
        var fix = Methods.ContainsKey(upper)
            ? $"methods are upper case: write \"{upper}\""
            : "use GET, POST, PUT, PATCH, DELETE or HEAD";
        throw Fail(DiagnosticDescriptors.UnknownMethod, methodNode, method, fix);
    }

    /// <summary>The <c>{name}</c> placeholders of the path, in order, with where each sits in the file.</summary>
    private List<(string Name, LocationInfo Location)> ParsePlaceholders(JsonString pathNode)
    {
        var path = pathNode.Value;
        if (!path.StartsWith("/", StringComparison.Ordinal))
        {
            throw Fail(DiagnosticDescriptors.InvalidPath, pathNode, path);
        }

        var placeholders = new List<(string, LocationInfo)>();
        var i = 0;
        while (i < path.Length)
        {
            var open = path.IndexOf('{', i);
            var close = path.IndexOf('}', i);
            if (close >= 0 && (open < 0 || close < open))
            {
                throw Fail(DiagnosticDescriptors.UnbalancedBrace, InsideString(pathNode, close, 1), "}", "{");
            }

            if (open < 0)
            {
                break;
            }

            var end = path.IndexOf('}', open + 1);
            var nextOpen = path.IndexOf('{', open + 1);
            if (end < 0 || (nextOpen >= 0 && nextOpen < end))
            {
                throw Fail(DiagnosticDescriptors.UnbalancedBrace, InsideString(pathNode, open, 1), "{", "}");
            }

            var name = path.Substring(open + 1, end - open - 1);
            if (name.Length == 0 || name.IndexOf('/') >= 0)
            {
                throw Fail(DiagnosticDescriptors.InvalidPlaceholder, InsideString(pathNode, open, end - open + 1), name);
            }

            placeholders.Add((name, InsideString(pathNode, open, end - open + 1)));
            i = end + 1;
        }

        return placeholders;
    }

    /// <summary>
    /// Checks that placeholders and path parameters match one to one. Path parameters come first, in
    /// path order (they are positional arguments), then query and header parameters in spec order.
    /// </summary>
    private List<ParameterModel> OrderParameters(
        List<(string Name, LocationInfo Location)> placeholders,
        List<(ParameterModel Model, JsonString NameNode, JsonString CliNode)> parameters)
    {
        var pathParameters = parameters.Where(p => p.Model.Location == ParamLocation.Path).ToList();
        var ordered = new List<ParameterModel>();
        foreach (var (name, location) in placeholders)
        {
            var match = pathParameters.FirstOrDefault(p => p.Model.Name == name).Model;
            if (match is null)
            {
                var other = parameters.FirstOrDefault(p => p.Model.Name == name).Model;
                throw other is null
                    ? Fail(DiagnosticDescriptors.PlaceholderWithoutParameter, location, name)
                    : Fail(DiagnosticDescriptors.PlaceholderParameterNotInPath, location, name, Lower(other.Location));
            }

            if (!ordered.Contains(match))
            {
                ordered.Add(match);
            }
        }

        foreach (var (model, nameNode, _) in pathParameters)
        {
            if (!placeholders.Any(p => p.Name == model.Name))
            {
                throw Fail(DiagnosticDescriptors.ParameterWithoutPlaceholder, nameNode, model.Name);
            }
        }

        ordered.AddRange(parameters.Where(p => p.Model.Location == ParamLocation.Query).Select(p => p.Model));
        ordered.AddRange(parameters.Where(p => p.Model.Location == ParamLocation.Header).Select(p => p.Model));
        return ordered;
    }

    /// <summary>
    /// Repository coordinates (<c>"context"</c>) come as a pair, owner then repo, as the first two
    /// arguments: then leaving out exactly those two is the one way to take them from the git remote.
    /// </summary>
    private void CheckContext(
        List<ParameterModel> ordered,
        List<(ParameterModel Model, JsonString NameNode, JsonString CliNode)> parameters)
    {
        var marked = parameters.Where(p => p.Model.Context is not null).ToList();
        if (marked.Count == 0)
        {
            return;
        }

        var path = ordered.Where(p => p.Location == ParamLocation.Path).ToList();
        for (var i = 0; i < ContextValues.Length; i++)
        {
            var expected = ContextValues[i];
            var withValue = marked.Where(p => p.Model.Context == expected).ToList();
            var at = withValue.Count > 1 ? withValue[1].NameNode : marked[0].NameNode;
            if (withValue.Count != 1)
            {
                throw Fail(DiagnosticDescriptors.MisplacedContext, at, withValue.Count > 1 ? withValue[1].Model.Name : marked[0].Model.Name,
                    withValue.Count > 1
                        ? "is a second \"" + expected + "\" coordinate; an endpoint has one \"owner\" and one \"repo\""
                        : "has a repository coordinate but the endpoint has no \"" + expected + "\" one; mark both, \"owner\" and \"repo\"");
            }

            if (path.Count <= i || path[i] != withValue[0].Model)
            {
                throw Fail(DiagnosticDescriptors.MisplacedContext, withValue[0].NameNode, withValue[0].Model.Name,
                    "must be path placeholder number " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ": the \"owner\" and \"repo\" coordinates are the path's first two placeholders, in that order");
            }
        }
    }

    private EquatableArray<string> ParseColumns(ObjectFields e)
    {
        if (e.OptionalArray("columns") is not { } array)
        {
            return EquatableArray<string>.Empty;
        }

        return array.Items.Select(item => ExpectString("columns", item).Value).ToEquatableArray();
    }

    private void CheckUnique(
        EndpointModel endpoint,
        JsonString nameNode,
        Dictionary<string, JsonString> commands,
        Dictionary<string, EndpointModel> members)
    {
        // The same command may exist once per API: "bb branches list" on Cloud and on Data Center.
        var command = endpoint.Group + " " + endpoint.Name;
        if (commands.TryGetValue(endpoint.Flavor.SpecName() + " " + command, out var first))
        {
            throw Fail(DiagnosticDescriptors.DuplicateEndpoint, nameNode, endpoint.Group, endpoint.Name, (Locate(first).StartLine + 1).ToString(CultureInfo.InvariantCulture));
        }

        if (ReservedMemberNames.Contains(endpoint.MemberName))
        {
            throw Fail(DiagnosticDescriptors.ReservedMemberName, nameNode, command, endpoint.MemberName);
        }

        if (endpoint.MethodName == endpoint.ClassName)
        {
            throw Fail(DiagnosticDescriptors.MethodNamedLikeClass, nameNode, command, endpoint.MethodName);
        }

        if (members.TryGetValue(endpoint.MemberName, out var other))
        {
            throw Fail(DiagnosticDescriptors.CommandNameCollision, nameNode, other.Group + " " + other.Name, command, endpoint.MemberName);
        }

        commands.Add(endpoint.Flavor.SpecName() + " " + command, nameNode);
        members.Add(endpoint.MemberName, endpoint);
    }

    /// <summary>Points at characters inside a string token when it has no escapes, else at the whole string.</summary>
    private LocationInfo InsideString(JsonString node, int index, int length)
        => node.HasEscapes ? Locate(node) : Locate(node.Start + 1 + index, length);

    private static string Lower(ParamLocation location) => location.ToString().ToLowerInvariant();
}
