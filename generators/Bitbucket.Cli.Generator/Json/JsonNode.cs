using System.Collections.Generic;

namespace Bitbucket.Cli.Generator.Json;

/// <summary>
/// A parsed JSON value that remembers where it came from: <see cref="Start"/> and <see cref="Length"/>
/// are character offsets into the spec text, so every diagnostic can point at the offending token.
/// These nodes live only while one spec is parsed; they never reach the incremental model.
/// </summary>
internal abstract class JsonNode
{
    protected JsonNode(int start, int length)
    {
        Start = start;
        Length = length;
    }

    public int Start { get; }

    public int Length { get; }

    /// <summary>The JSON type in words, for "expected a string but found a number" messages.</summary>
    public abstract string KindName { get; }
}

internal sealed class JsonObject : JsonNode
{
    public JsonObject(int start, int length, IReadOnlyList<JsonProperty> properties)
        : base(start, length)
    {
        Properties = properties;
    }

    /// <summary>Every property in source order, duplicates included (the spec parser reports them).</summary>
    public IReadOnlyList<JsonProperty> Properties { get; }

    public override string KindName => "an object";
}

internal sealed class JsonProperty
{
    public JsonProperty(JsonString key, JsonNode value)
    {
        Key = key;
        Value = value;
    }

    public JsonString Key { get; }

    public JsonNode Value { get; }

    public string Name => Key.Value;
}

internal sealed class JsonArray : JsonNode
{
    public JsonArray(int start, int length, IReadOnlyList<JsonNode> items)
        : base(start, length)
    {
        Items = items;
    }

    public IReadOnlyList<JsonNode> Items { get; }

    public override string KindName => "an array";
}

internal sealed class JsonString : JsonNode
{
    public JsonString(int start, int length, string value, bool hasEscapes)
        : base(start, length)
    {
        Value = value;
        HasEscapes = hasEscapes;
    }

    /// <summary>The decoded value.</summary>
    public string Value { get; }

    /// <summary>
    /// False when the source token is exactly <c>"</c> + <see cref="Value"/> + <c>"</c>, so that character
    /// <c>i</c> of the value sits at offset <c>Start + 1 + i</c> (lets diagnostics point inside a string).
    /// </summary>
    public bool HasEscapes { get; }

    public override string KindName => "a string";
}

internal sealed class JsonNumber : JsonNode
{
    public JsonNumber(int start, int length, string raw)
        : base(start, length)
    {
        Raw = raw;
    }

    /// <summary>The number exactly as written; converted only where a use needs it, so huge values cannot overflow here.</summary>
    public string Raw { get; }

    public override string KindName => "a number";
}

internal sealed class JsonBoolean : JsonNode
{
    public JsonBoolean(int start, int length, bool value)
        : base(start, length)
    {
        Value = value;
    }

    public bool Value { get; }

    public override string KindName => "a boolean";
}

internal sealed class JsonNull : JsonNode
{
    public JsonNull(int start, int length)
        : base(start, length)
    {
    }

    public override string KindName => "null";
}
