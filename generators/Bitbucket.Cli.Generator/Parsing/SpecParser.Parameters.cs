using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Bitbucket.Cli.Generator.Json;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Parsing;

internal sealed partial class SpecParser
{
    private static readonly string[] ParameterKeys = ["name", "in", "type", "values", "required", "default", "description", "slashes"];
    private static readonly string[] BodyKeys = ["kind", "fields"];
    private static readonly string[] BodyFieldKeys = ["name", "type", "required", "description"];
    private static readonly string[] BodyFieldTypes = ["string", "integer", "boolean", "number", "object", "array"];

    private static readonly Dictionary<string, ParamType> ParamTypes = new(StringComparer.Ordinal)
    {
        ["string"] = ParamType.String,
        ["integer"] = ParamType.Integer,
        ["boolean"] = ParamType.Boolean,
        ["enum"] = ParamType.Enum,
    };

    private static readonly Dictionary<string, ParamLocation> ParamLocations = new(StringComparer.Ordinal)
    {
        ["path"] = ParamLocation.Path,
        ["query"] = ParamLocation.Query,
        ["header"] = ParamLocation.Header,
    };

    /// <summary>Options every command already has (CommonOptions, Cocona's help); a spec option must not reuse them.</summary>
    private static readonly HashSet<string> BuiltInOptions = new(StringComparer.Ordinal)
    {
        "host", "api-url", "paginate", "limit", "jsonl", "query", "format", "include", "verbose", "dry-run", "help",
    };

    /// <summary>Options of commands with a body (BodyOptions).</summary>
    private static readonly HashSet<string> BodyOptionNames = new(StringComparer.Ordinal) { "raw-field", "field", "input" };

    /// <summary>C# names the generated methods use themselves; a parameter that derives one gets a "Value" suffix.</summary>
    private static readonly HashSet<string> ReservedIdentifiers = new(StringComparer.Ordinal)
    {
        "body", "cancellationToken", "common", "api", "content", "ct", "invoker",
    };

    private List<(ParameterModel Model, JsonString NameNode)> ParseParameters(ObjectFields e, bool hasBody)
    {
        var parameters = new List<(ParameterModel Model, JsonString NameNode)>();
        if (e.OptionalArray("parameters") is not { } array)
        {
            return parameters;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            parameters.Add(ParseParameter(array.Items[i], i));
        }

        // Wire names first: the same name twice is the plain mistake (headers are case-insensitive).
        for (var i = 0; i < parameters.Count; i++)
        {
            var (model, nameNode) = parameters[i];
            var comparison = model.Location == ParamLocation.Header ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (parameters.Take(i).Any(p => p.Model.Location == model.Location && string.Equals(p.Model.Name, model.Name, comparison)))
            {
                throw Fail(DiagnosticDescriptors.DuplicateParameter, nameNode, "Parameter", model.Name);
            }
        }

        // Then the derived names: --repo-slug and repoSlug must each belong to one parameter.
        for (var i = 0; i < parameters.Count; i++)
        {
            var (model, nameNode) = parameters[i];
            var clash = parameters.Take(i).FirstOrDefault(p => p.Model.CliName == model.CliName || p.Model.Identifier == model.Identifier).Model;
            if (clash is not null)
            {
                throw Fail(DiagnosticDescriptors.NameCollision, nameNode, $"Parameters \"{clash.Name}\" and \"{model.Name}\" both become {Describe(model)}; the spec cannot expose both, leave one out");
            }

            if (model.Location != ParamLocation.Path
                && (BuiltInOptions.Contains(model.CliName) || (hasBody && BodyOptionNames.Contains(model.CliName))))
            {
                throw Fail(DiagnosticDescriptors.NameCollision, nameNode, $"Parameter \"{model.Name}\" would become --{model.CliName}, which every {(BodyOptionNames.Contains(model.CliName) ? "command with a body" : "command")} already has; the spec cannot expose it, leave it out");
            }
        }

        return parameters;
    }

    private (ParameterModel Model, JsonString NameNode) ParseParameter(JsonNode node, int index)
    {
        var p = Open(node, "this parameter", ParameterKeys, fatal: true, jsonKey: "parameters[" + index.ToString(CultureInfo.InvariantCulture) + "]");
        var nameNode = p.RequiredStringNode("name", "\"repo_slug\"");
        var inNode = p.RequiredStringNode("in", "\"query\"");
        var typeNode = p.OptionalStringNode("type");
        var requiredNode = p.Get("required") is { } r ? ExpectBoolean("required", r) : null;
        var slashesNode = p.Get("slashes") is { } sl ? ExpectBoolean("slashes", sl) : null;
        var description = p.OptionalString("description") ?? string.Empty;

        var name = nameNode.Value;
        var words = Naming.Words(name);
        if (words.Count == 0)
        {
            throw Fail(DiagnosticDescriptors.InvalidName, nameNode, $"Parameter name \"{name}\" has no letters or digits to derive an option name from; use the API's parameter name, e.g. \"repo_slug\"");
        }

        if (!ParamLocations.TryGetValue(inNode.Value, out var location))
        {
            throw Fail(DiagnosticDescriptors.UnknownLocation, inNode, inNode.Value);
        }

        if (slashesNode is not null && location != ParamLocation.Path)
        {
            throw Fail(DiagnosticDescriptors.SlashesNotOnPath, p.GetProperty("slashes")!.Key, name, inNode.Value);
        }

        var typeName = typeNode?.Value ?? "string";
        if (!ParamTypes.TryGetValue(typeName, out var type))
        {
            throw Fail(DiagnosticDescriptors.UnknownType, typeNode!, "parameter", typeName, "\"string\", \"integer\", \"boolean\" or \"enum\"");
        }

        var values = ParseValues(p, type, typeNode);

        var required = requiredNode?.Value ?? false;
        if (location == ParamLocation.Path)
        {
            if (requiredNode is { Value: false })
            {
                throw Fail(DiagnosticDescriptors.OptionalPathParameter, requiredNode, name);
            }

            required = true;
        }

        var defaultValue = ParseDefault(p, name, type, values, location, requiredNode?.Value == true);

        var identifier = Naming.Identifier(words);
        if (ReservedIdentifiers.Contains(identifier))
        {
            identifier += "Value";
        }

        var model = new ParameterModel(
            Name: name,
            CliName: Naming.CliName(words),
            Identifier: identifier,
            Location: location,
            Type: type,
            TypeName: typeName,
            Required: required,
            Default: defaultValue,
            Description: description,
            Values: values,
            Slashes: slashesNode?.Value ?? false);
        return (model, nameNode);
    }

    private EquatableArray<string> ParseValues(ObjectFields p, ParamType type, JsonString? typeNode)
    {
        var property = p.GetProperty("values");
        if (type != ParamType.Enum)
        {
            if (property is not null)
            {
                throw Fail(DiagnosticDescriptors.EnumValues, property.Key, "\"values\" is only allowed with \"type\": \"enum\"; add \"type\": \"enum\" or remove \"values\"");
            }

            return EquatableArray<string>.Empty;
        }

        if (property is null)
        {
            throw Fail(DiagnosticDescriptors.EnumValues, typeNode!, "An enum parameter needs \"values\": the allowed strings, e.g. \"values\": [\"OPEN\", \"MERGED\"]");
        }

        var array = ExpectArray("values", property.Value);
        if (array.Items.Count == 0)
        {
            throw Fail(DiagnosticDescriptors.EnumValues, array, "\"values\" is empty; list the allowed strings, e.g. [\"OPEN\", \"MERGED\"]");
        }

        var values = new List<string>();
        foreach (var item in array.Items)
        {
            var value = ExpectString("values", item);
            if (values.Contains(value.Value))
            {
                throw Fail(DiagnosticDescriptors.EnumValues, value, $"\"{value.Value}\" is listed twice in \"values\"; remove one");
            }

            values.Add(value.Value);
        }

        return values.ToEquatableArray();
    }

    /// <returns>The default as sent on the wire, or null.</returns>
    private string? ParseDefault(ObjectFields p, string name, ParamType type, EquatableArray<string> values, ParamLocation location, bool required)
    {
        if (p.Get("default") is not { } node)
        {
            return null;
        }

        if (location == ParamLocation.Path)
        {
            throw Fail(DiagnosticDescriptors.InvalidDefault, node, $"Path parameter \"{name}\" is always given on the command line, so it cannot have a default; remove \"default\"");
        }

        if (required)
        {
            throw Fail(DiagnosticDescriptors.InvalidDefault, node, $"Parameter \"{name}\" is required, so a default would never be used; remove \"default\" or \"required\"");
        }

        switch (type)
        {
            case ParamType.String when node is JsonString s:
                return s.Value;
            case ParamType.Enum when node is JsonString s:
                if (!values.Contains(s.Value))
                {
                    throw Fail(DiagnosticDescriptors.InvalidDefault, node, $"Default \"{s.Value}\" is not one of the enum's values ({string.Join(", ", values)}); use one of them");
                }

                return s.Value;
            case ParamType.Integer when node is JsonNumber n:
                if (!long.TryParse(n.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    throw Fail(DiagnosticDescriptors.InvalidDefault, node, $"Default {n.Raw} is not a whole number between {long.MinValue.ToString(CultureInfo.InvariantCulture)} and {long.MaxValue.ToString(CultureInfo.InvariantCulture)}; write an integer such as 10");
                }

                return number.ToString(CultureInfo.InvariantCulture);
            case ParamType.Boolean when node is JsonBoolean b:
                return b.Value ? "true" : "false";
            default:
                var expected = type switch
                {
                    ParamType.Integer => "an integer such as 10",
                    ParamType.Boolean => "true or false",
                    _ => "a string in double quotes",
                };
                throw Fail(DiagnosticDescriptors.InvalidDefault, node, $"Default of {Lower(type)} parameter \"{name}\" must be {expected}, but this is {node.KindName}");
        }
    }

    private (BodyKind Kind, EquatableArray<BodyFieldModel> Fields) ParseBody(ObjectFields e)
    {
        if (e.Get("body") is not { } node)
        {
            return (BodyKind.None, EquatableArray<BodyFieldModel>.Empty);
        }

        var body = Open(node, "the body", BodyKeys, fatal: true, jsonKey: "body");
        var kindNode = body.RequiredStringNode("kind", "\"json\"");
        var kind = kindNode.Value switch
        {
            "none" => BodyKind.None,
            "json" => BodyKind.Json,
            "form" => BodyKind.Form,
            _ => throw Fail(DiagnosticDescriptors.UnknownBodyKind, kindNode, $"Unknown body kind \"{kindNode.Value}\"; use \"json\", \"form\" (application/x-www-form-urlencoded) or \"none\""),
        };

        if (body.OptionalArray("fields") is not { } array)
        {
            return (kind, EquatableArray<BodyFieldModel>.Empty);
        }

        if (kind == BodyKind.None && array.Items.Count > 0)
        {
            throw Fail(DiagnosticDescriptors.UnknownBodyKind, body.GetProperty("fields")!.Key, "A body of kind \"none\" cannot have fields; use \"json\" or \"form\", or remove \"fields\"");
        }

        var fields = new List<BodyFieldModel>();
        foreach (var item in array.Items)
        {
            var f = Open(item, "this body field", BodyFieldKeys, fatal: true, jsonKey: "fields[]");
            var nameNode = f.RequiredStringNode("name", "\"title\"");
            var typeNode = f.OptionalStringNode("type");
            var required = f.OptionalBool("required");
            var description = f.OptionalString("description") ?? string.Empty;
            if (nameNode.Value.Length == 0 || nameNode.Value.Split('.').Any(s => s.Length == 0))
            {
                throw Fail(DiagnosticDescriptors.InvalidName, nameNode, $"Body field name \"{nameNode.Value}\" is not a field path; write names joined by dots, e.g. \"source.branch.name\"");
            }

            var type = typeNode?.Value ?? "string";
            if (Array.IndexOf(BodyFieldTypes, type) < 0)
            {
                throw Fail(DiagnosticDescriptors.UnknownType, typeNode!, "body field", type, "\"string\", \"integer\", \"boolean\", \"number\", \"object\" or \"array\"");
            }

            if (fields.Any(x => x.Name == nameNode.Value))
            {
                throw Fail(DiagnosticDescriptors.DuplicateParameter, nameNode, "Body field", nameNode.Value);
            }

            fields.Add(new BodyFieldModel(nameNode.Value, type, required, description));
        }

        return (kind, fields.ToEquatableArray());
    }

    private static string Describe(ParameterModel model)
        => model.Location == ParamLocation.Path ? $"the argument {model.CliName} ({model.Identifier})" : $"--{model.CliName} ({model.Identifier})";

    private static string Lower(ParamType type) => type.ToString().ToLowerInvariant();
}
