using System.Text.Json.Nodes;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>Request bodies and their fields, and paginated responses.</summary>
internal static partial class OpenApiImporter
{
    private static (string? Kind, IReadOnlyList<ImportedField> Fields) ReadBody(OpenApiRefs refs, JsonObject operation, List<string> notes, ref string? skipReason)
    {
        if (refs.ResolveObject(operation["requestBody"]) is not { } body || body["content"] is not JsonObject { Count: > 0 } content)
        {
            return ("none", []);
        }

        var mediaTypes = content.Select(c => (Name: c.Key.Split(';')[0].Trim().ToLowerInvariant(), Value: c.Value as JsonObject)).ToList();
        var json = mediaTypes.FirstOrDefault(m => m.Name == "application/json" || m.Name.EndsWith("+json", StringComparison.Ordinal));
        var form = mediaTypes.FirstOrDefault(m => m.Name == "application/x-www-form-urlencoded");
        var chosen = json.Name is not null ? ("json", json.Value) : form.Name is not null ? ("form", form.Value) : (null, null);
        if (chosen.Item1 is null)
        {
            skipReason = $"request body type {string.Join(", ", mediaTypes.Select(m => m.Name))} is not supported (json and form only)";
            return (null, []);
        }

        var schema = refs.ResolveObject(chosen.Item2?["schema"]);
        return (chosen.Item1, schema is null ? [] : ReadFields(refs, schema, notes));
    }

    private static List<ImportedField> ReadFields(OpenApiRefs refs, JsonObject schema, List<string> notes)
    {
        var properties = new List<(string Name, JsonObject Schema)>();
        var required = new HashSet<string>(StringComparer.Ordinal);
        CollectProperties(refs, schema, properties, required, depth: 0);

        var fields = new List<ImportedField>();
        foreach (var (name, property) in properties.DistinctBy(p => p.Name))
        {
            if (property["readOnly"] is JsonValue ro && ro.TryGetValue(out bool readOnly) && readOnly)
            {
                continue;
            }

            if (name.Length == 0 || name.Contains('.', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
            {
                notes.Add($"body property '{name}' left out: its name cannot be a field name");
                continue;
            }

            var type = StringOf(property["type"]) switch
            {
                "string" => "string",
                "integer" => "integer",
                "boolean" => "boolean",
                "number" => "number",
                "array" => "array",
                _ => "object",
            };
            var description = property["enum"] is JsonArray { Count: > 0 } values
                ? "One of: " + string.Join(", ", values.OfType<JsonValue>().Select(ScalarText))
                : null;
            fields.Add(new ImportedField(name, type, required.Contains(name), description));
        }

        return fields;
    }

    private static void CollectProperties(OpenApiRefs refs, JsonObject schema, List<(string, JsonObject)> properties, HashSet<string> required, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        foreach (var part in schema["allOf"] as JsonArray ?? [])
        {
            if (refs.ResolveObject(part) is { } resolved)
            {
                CollectProperties(refs, resolved, properties, required, depth + 1);
            }
        }

        foreach (var (name, node) in schema["properties"] as JsonObject ?? [])
        {
            var property = node as JsonObject;
            // Keep the $ref'd property's type, but a sibling readOnly on the reference itself still counts.
            var resolved = refs.ResolveObject(property);
            if (resolved is not null)
            {
                if (property?["readOnly"] is JsonValue ro && !ReferenceEquals(resolved, property))
                {
                    resolved = (JsonObject)resolved.DeepClone();
                    resolved["readOnly"] = ro.DeepClone();
                }

                properties.Add((name, resolved));
            }
        }

        foreach (var name in schema["required"] as JsonArray ?? [])
        {
            if (name is JsonValue v && v.TryGetValue(out string? s))
            {
                required.Add(s);
            }
        }
    }

    /// <summary>A Bitbucket-style page: the 200 response's object has <c>values</c> (array) and <c>next</c>.</summary>
    private static bool IsPaginated(OpenApiRefs refs, JsonObject operation)
    {
        var responses = refs.ResolveObject(operation["responses"]);
        var ok = refs.ResolveObject(responses?["200"]) ?? refs.ResolveObject(responses?["2XX"]);
        if (ok?["content"] is not JsonObject content)
        {
            return false;
        }

        var json = content.FirstOrDefault(c => c.Key.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
        if (refs.ResolveObject(json?["schema"]) is not { } schema)
        {
            return false;
        }

        var properties = new List<(string Name, JsonObject Schema)>();
        CollectProperties(refs, schema, properties, [], depth: 0);
        return properties.Any(p => p.Name == "next")
            && properties.Any(p => p.Name == "values" && StringOf(p.Schema["type"]) == "array");
    }
}
