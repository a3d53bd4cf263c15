using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>
/// Reads an OpenAPI document (JSON or YAML) into one generic tree (<see cref="JsonNode"/>), so the
/// importer has a single representation to walk whatever the input format was.
/// </summary>
internal static partial class OpenApiLoader
{
    /// <summary>Parses <paramref name="text"/>; JSON when it looks like JSON, otherwise YAML.</summary>
    /// <exception cref="FormatException">The text is neither valid JSON nor valid YAML, or is empty.</exception>
    public static JsonObject Parse(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        var node = trimmed.Length > 0 && trimmed[0] == '{' ? ParseJson(text) : ParseYaml(text);
        return node as JsonObject ?? throw new FormatException("the document's top level is not an object");
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"invalid JSON: {ex.Message}", ex);
        }
    }

    private static JsonNode? ParseYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0)
        {
            throw new FormatException("the YAML stream holds no document");
        }

        return Convert(stream.Documents[0].RootNode, depth: 0);
    }

    private static JsonNode? Convert(YamlNode node, int depth)
    {
        // Aliases share node objects; a pathological document could nest them without end.
        if (depth > 256)
        {
            throw new FormatException("the YAML document nests deeper than 256 levels");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : key.ToString();
                    obj[name] = Convert(value, depth + 1); // last duplicate key wins, as most YAML readers do
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, depth + 1));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new FormatException($"unsupported YAML node at line {node.Start.Line}");
        }
    }

    /// <summary>Resolves a scalar with the YAML 1.2 core schema: only plain (unquoted) scalars are typed.</summary>
    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
