using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>
/// Writes a spec in the repository's layout: 2-space indent, keys in the order they are held, small
/// flat objects (a parameter, a body field, a group) and arrays of scalars on one line, a trailing
/// newline. The curated api-spec.json is kept in this layout, so an import only shows real changes.
/// </summary>
internal static class SpecWriter
{
    private static readonly JsonSerializerOptions Scalars = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode spec)
    {
        var text = new StringBuilder();
        WriteNode(text, spec, depth: 0, parentKey: null);
        return text.Append('\n').ToString();
    }

    private static void WriteNode(StringBuilder text, JsonNode? node, int depth, string? parentKey)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 0:
                text.Append("{}");
                break;
            case JsonObject obj when IsInline(obj, depth, parentKey):
                text.Append("{ ");
                var first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "" : ", ").Append(Scalar(key)).Append(": ");
                    WriteNode(text, value, depth + 1, key);
                    first = false;
                }

                text.Append(" }");
                break;
            case JsonObject obj:
                text.Append("{\n");
                var i = 0;
                foreach (var (key, value) in obj)
                {
                    Indent(text, depth + 1).Append(Scalar(key)).Append(": ");
                    WriteNode(text, value, depth + 1, key);
                    text.Append(++i < obj.Count ? ",\n" : "\n");
                }

                Indent(text, depth).Append('}');
                break;
            case JsonArray array when array.Count == 0:
                text.Append("[]");
                break;
            case JsonArray array when array.All(IsScalar):
                text.Append('[').AppendJoin(", ", array.Select(Scalar)).Append(']');
                break;
            case JsonArray array:
                text.Append("[\n");
                for (var j = 0; j < array.Count; j++)
                {
                    Indent(text, depth + 1);
                    WriteNode(text, array[j], depth + 1, parentKey);
                    text.Append(j + 1 < array.Count ? ",\n" : "\n");
                }

                Indent(text, depth).Append(']');
                break;
            default:
                text.Append(Scalar(node));
                break;
        }
    }

    /// <summary>Flat objects below the top two levels go on one line, except whole endpoints.</summary>
    private static bool IsInline(JsonObject obj, int depth, string? parentKey) =>
        depth >= 2 && !(depth == 2 && parentKey == "endpoints")
        && obj.All(p => IsScalar(p.Value) || p.Value is JsonArray a && a.All(IsScalar));

    private static bool IsScalar(JsonNode? node) => node is null or JsonValue;

    private static string Scalar(JsonNode? node) => node is null ? "null" : node.ToJsonString(Scalars);

    private static string Scalar(string key) => JsonSerializer.Serialize(key, Scalars);

    private static StringBuilder Indent(StringBuilder text, int depth) => text.Append(' ', depth * 2);
}
