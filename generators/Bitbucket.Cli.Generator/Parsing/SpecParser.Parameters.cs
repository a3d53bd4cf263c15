using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Generator.Json;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Parsing;

internal sealed partial class SpecParser
{
    private static readonly string[] ParameterKeys = ["name", "in", "option", "type", "values", "required", "default", "description", "slashes", "context"];
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

    /// <summary>C# names the generated methods use themselves; a parameter that derives one gets a "Value" suffix.</summary>
    private static readonly HashSet<string> ReservedIdentifiers = new(StringComparer.Ordinal)
    {
        "body", "cancellationToken", "common", "api", "content", "ct", "invoker",
    };

    /// <returns>Each parameter with its name token and the token its option name comes from (<c>"option"</c>, else the name).</returns>
    private List<(ParameterModel Model, JsonString NameNode, JsonString CliNode)> ParseParameters(ObjectFields e, bool hasBody)
    {
        var parameters = new List<(ParameterModel Model, JsonString NameNode, JsonString CliNode)>();
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
            var (model, nameNode, _) = parameters[i];
            var comparison = model.Location == ParamLocation.Header ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (parameters.Take(i).Any(p => p.Model.Location == model.Location && string.Equals(p.Model.Name, model.Name, comparison)))
            {
                throw Fail(DiagnosticDescriptors.DuplicateParameter, nameNode, model.Name);
            }
        }

        // Then the derived names: --repo-slug and repoSlug must each belong to one parameter.
        for (var i = 0; i < parameters.Count; i++)
        {
            var (model, nameNode, cliNode) = parameters[i];
            var clash = parameters.Take(i).FirstOrDefault(p => p.Model.CliName == model.CliName || p.Model.Identifier == model.Identifier).Model;
            if (clash is not null)
            {
                var at = clash.CliName == model.CliName ? cliNode : nameNode;
                throw Fail(DiagnosticDescriptors.ParameterNameCollision, at, clash.Name, model.Name, Describe(model));
            }

            // Path parameters are arguments, which have no option name to clash.
            if (model.Location != ParamLocation.Path && BbOptionNames.Taken(model.CliName, hasBody) is { } taken)
            {
                throw Fail(DiagnosticDescriptors.ReservedOptionName, cliNode, model.Name, model.CliName, taken, SuggestOption(model.CliName, hasBody));
            }
        }

        return parameters;
    }

    /// <summary>An option name to offer instead of one of bb's own: <c>page-size</c> for <c>limit</c>, else a prefixed name that is free.</summary>
    private static string SuggestOption(string cliName, bool hasBody)
    {
        if (cliName == BbOptionNames.Limit)
        {
            return "page-size";
        }

        var words = Naming.Words(cliName);
        var suggestion = "api-" + (words.Count == 0 ? "value" : Naming.CliName(words));
        return BbOptionNames.Taken(suggestion, hasBody) is null ? suggestion : "api-value";
    }

    /// <summary>The values of a path parameter's <c>"context"</c>: which repository coordinate it is, in this order.</summary>
    internal static readonly string[] ContextValues = ["owner", "repo"];

    private (ParameterModel Model, JsonString NameNode, JsonString CliNode) ParseParameter(JsonNode node, int index)
    {
        var p = Open(node, "this parameter", ParameterKeys, fatal: true, jsonKey: "parameters[" + index.ToString(CultureInfo.InvariantCulture) + "]");
        var nameNode = p.RequiredStringNode("name", "\"repo_slug\"");
        var inNode = p.RequiredStringNode("in", "\"query\"");
        var optionNode = p.OptionalStringNode("option");
        var typeNode = p.OptionalStringNode("type");
        var requiredNode = p.Get("required") is { } r ? ExpectBoolean("required", r) : null;
        var slashesNode = p.Get("slashes") is { } sl ? ExpectBoolean("slashes", sl) : null;
        var contextNode = p.OptionalStringNode("context");
        var description = p.OptionalString("description") ?? string.Empty;

        var name = nameNode.Value;
        var words = Naming.Words(name);
        if (words.Count == 0)
        {
            throw Fail(DiagnosticDescriptors.ParameterNameWithoutLetters, nameNode, name);
        }

        if (!ParamLocations.TryGetValue(inNode.Value, out var location))
        {
            throw Fail(DiagnosticDescriptors.UnknownLocation, inNode, inNode.Value);
        }

        if (optionNode is not null)
        {
            if (location == ParamLocation.Path)
            {
                throw Fail(DiagnosticDescriptors.OptionOnPathParameter, p.GetProperty("option")!.Key, name);
            }

            if (!Naming.IsKebabCase(optionNode.Value))
            {
                throw Fail(DiagnosticDescriptors.OptionNotKebabCase, optionNode, optionNode.Value, SuggestKebab(optionNode.Value));
            }
        }

        // ünï_cöde would silently become --n-c-de: the spec says what the name is instead.
        if ((optionNode is null || location == ParamLocation.Path) && Naming.NonAsciiLettersOrDigits(name) is { Length: > 0 } dropped)
        {
            var fix = location == ParamLocation.Path
                ? "rename the placeholder and the parameter with ASCII letters (the name of a path parameter is never sent)"
                : "add \"option\" with an ASCII kebab-case name for the command line";
            throw Fail(DiagnosticDescriptors.LossyParameterName, nameNode, name, dropped, (location == ParamLocation.Path ? "" : "--") + Naming.CliName(words), fix);
        }

        if (slashesNode is not null && location != ParamLocation.Path)
        {
            throw Fail(DiagnosticDescriptors.SlashesNotOnPath, p.GetProperty("slashes")!.Key, name, inNode.Value);
        }

        if (contextNode is not null)
        {
            if (Array.IndexOf(ContextValues, contextNode.Value) < 0)
            {
                throw Fail(DiagnosticDescriptors.UnknownContext, contextNode, contextNode.Value);
            }

            if (location != ParamLocation.Path)
            {
                throw Fail(DiagnosticDescriptors.MisplacedContext, p.GetProperty("context")!.Key, name, "is a " + inNode.Value + " parameter; only path parameters are repository coordinates");
            }
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
            CliName: optionNode?.Value ?? Naming.CliName(words),
            Identifier: identifier,
            Location: location,
            Type: type,
            Required: required,
            Default: defaultValue,
            Description: description,
            Values: values,
            Slashes: slashesNode?.Value ?? false,
            Context: contextNode?.Value);
        return (model, nameNode, optionNode ?? nameNode);
    }

    private EquatableArray<string> ParseValues(ObjectFields p, ParamType type, JsonString? typeNode)
    {
        var property = p.GetProperty("values");
        if (type != ParamType.Enum)
        {
            if (property is not null)
            {
                throw Fail(DiagnosticDescriptors.ValuesWithoutEnum, property.Key);
            }

            return EquatableArray<string>.Empty;
        }

        if (property is null)
        {
            throw Fail(DiagnosticDescriptors.EnumWithoutValues, typeNode!);
        }

        var array = ExpectArray("values", property.Value);
        if (array.Items.Count == 0)
        {
            throw Fail(DiagnosticDescriptors.EnumWithoutValues, array);
        }

        var values = new List<string>();
        foreach (var item in array.Items)
        {
            var value = ExpectString("values", item);
            if (values.Contains(value.Value))
            {
                throw Fail(DiagnosticDescriptors.DuplicateEnumValue, value, value.Value);
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
            throw Fail(DiagnosticDescriptors.DefaultOnPathParameter, node, name);
        }

        if (required)
        {
            throw Fail(DiagnosticDescriptors.DefaultOnRequiredParameter, node, name);
        }

        switch (type)
        {
            case ParamType.String when node is JsonString s:
                return s.Value;
            case ParamType.Enum when node is JsonString s:
                if (!values.Contains(s.Value))
                {
                    throw Fail(DiagnosticDescriptors.DefaultNotInValues, node, s.Value, string.Join(", ", values));
                }

                return s.Value;
            case ParamType.Integer when node is JsonNumber n:
                if (!long.TryParse(n.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    throw Fail(DiagnosticDescriptors.DefaultOutOfRange, node, n.Raw);
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
                throw Fail(DiagnosticDescriptors.DefaultOfWrongType, node, Lower(type), name, expected, node.KindName);
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
            _ => throw Fail(DiagnosticDescriptors.UnknownBodyKind, kindNode, kindNode.Value),
        };

        if (body.OptionalArray("fields") is not { } array)
        {
            return (kind, EquatableArray<BodyFieldModel>.Empty);
        }

        if (kind == BodyKind.None && array.Items.Count > 0)
        {
            throw Fail(DiagnosticDescriptors.FieldsOnBodyNone, body.GetProperty("fields")!.Key);
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
                throw Fail(DiagnosticDescriptors.InvalidBodyFieldName, nameNode, nameNode.Value);
            }

            var type = typeNode?.Value ?? "string";
            if (Array.IndexOf(BodyFieldTypes, type) < 0)
            {
                throw Fail(DiagnosticDescriptors.UnknownType, typeNode!, "body field", type, "\"string\", \"integer\", \"boolean\", \"number\", \"object\" or \"array\"");
            }

            if (fields.Any(x => x.Name == nameNode.Value))
            {
                throw Fail(DiagnosticDescriptors.DuplicateBodyField, nameNode, nameNode.Value);
            }

            fields.Add(new BodyFieldModel(nameNode.Value, type, required, description));
        }

        return (kind, fields.ToEquatableArray());
    }

    private static string Describe(ParameterModel model)
        => model.Location == ParamLocation.Path ? $"the argument {model.CliName} ({model.Identifier})" : $"--{model.CliName} ({model.Identifier})";

    private static string Lower(ParamType type) => type.ToString().ToLowerInvariant();
}
