using System.Collections.Generic;
using Bitbucket.Cli.Generator.Json;

namespace Bitbucket.Cli.Generator.Parsing;

/// <summary>
/// Typed access to the properties of one spec object. Missing or mistyped values become diagnostics
/// through <see cref="SpecParser"/>; unknown and duplicate keys are checked when the view is opened.
/// </summary>
internal sealed class ObjectFields
{
    private readonly SpecParser parser;
    private readonly Dictionary<string, JsonProperty> properties = new();
    private readonly HashSet<string> probablyMisspelled = new();

    public ObjectFields(SpecParser parser, JsonObject obj, string what)
    {
        this.parser = parser;
        Object = obj;
        What = what;
    }

    /// <summary>The object itself; missing-field errors point at its opening brace.</summary>
    public JsonObject Object { get; }

    /// <summary>How messages name this object: "this endpoint", "the spec", "parameter \"q\"".</summary>
    public string What { get; }

    /// <summary>Records a property; returns false if the key was already seen.</summary>
    public bool TryAdd(JsonProperty property)
    {
        if (this.properties.ContainsKey(property.Name))
        {
            return false;
        }

        this.properties.Add(property.Name, property);
        return true;
    }

    /// <summary>Remembers that an unknown key looked like <paramref name="key"/>, so its absence is not reported again.</summary>
    public void MarkMisspelled(string key) => probablyMisspelled.Add(key);

    public JsonNode? Get(string key) => this.properties.TryGetValue(key, out var p) ? p.Value : null;

    public JsonProperty? GetProperty(string key) => this.properties.TryGetValue(key, out var p) ? p : null;

    public JsonNode Required(string key, string example)
    {
        if (this.properties.TryGetValue(key, out var p))
        {
            return p.Value;
        }

        throw this.parser.MissingField(this, key, example, reportable: !probablyMisspelled.Contains(key));
    }

    public string RequiredString(string key, string example) => this.parser.ExpectString(key, Required(key, example)).Value;

    public JsonString RequiredStringNode(string key, string example) => this.parser.ExpectString(key, Required(key, example));

    public JsonString? OptionalStringNode(string key)
        => Get(key) is { } node ? this.parser.ExpectString(key, node) : null;

    public string? OptionalString(string key) => OptionalStringNode(key)?.Value;

    public bool OptionalBool(string key)
        => Get(key) is { } node && this.parser.ExpectBoolean(key, node).Value;

    public JsonArray? OptionalArray(string key)
        => Get(key) is { } node ? this.parser.ExpectArray(key, node) : null;
}
