using System.Text.Json.Nodes;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>Follows local <c>$ref</c> pointers (<c>#/components/...</c>) inside one OpenAPI document.</summary>
internal sealed class OpenApiRefs(JsonObject document)
{
    private const int MaxHops = 64;

    /// <summary>
    /// Returns the object <paramref name="node"/> points at after following every <c>$ref</c>, or the
    /// node itself when it is not a reference.
    /// </summary>
    /// <exception cref="OpenApiRefException">The reference is external, dangling or circular.</exception>
    public JsonNode? Resolve(JsonNode? node)
    {
        for (var hops = 0; node is JsonObject obj && obj["$ref"] is { } refNode; hops++)
        {
            if (refNode is not JsonValue value || !value.TryGetValue(out string? reference))
            {
                throw new OpenApiRefException($"$ref must be a string, not {refNode.ToJsonString()}");
            }

            if (hops == MaxHops)
            {
                throw new OpenApiRefException($"$ref chain longer than {MaxHops} hops (circular?) at '{reference}'");
            }

            node = Lookup(reference);
        }

        return node;
    }

    /// <summary>Resolves and returns an object, or null when the node is absent or not an object.</summary>
    public JsonObject? ResolveObject(JsonNode? node) => Resolve(node) as JsonObject;

    private JsonNode? Lookup(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new OpenApiRefException($"only local references are supported, not '{reference}'");
        }

        JsonNode? current = document;
        foreach (var raw in reference[2..].Split('/'))
        {
            // RFC 6901 section 4: ~1 is '/', ~0 is '~'; the fragment itself is percent-encoded.
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var index) && index >= 0 && index < a.Count => a[index],
                _ => throw new OpenApiRefException($"'{reference}' does not resolve"),
            };
        }

        return current;
    }
}

/// <summary>A <c>$ref</c> that cannot be followed; the operation that uses it is skipped.</summary>
internal sealed class OpenApiRefException(string message) : Exception(message);
