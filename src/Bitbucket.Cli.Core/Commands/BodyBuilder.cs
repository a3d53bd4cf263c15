using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>One <c>-f</c>/<c>-F</c> field as typed on the command line.</summary>
internal readonly record struct FieldArg(string Key, string Value, bool Typed);

/// <summary>
/// Builds request bodies from gh-style fields: <c>-f key=value</c> sends a string, <c>-F key=value</c>
/// converts true/false/null/numbers and reads <c>@file</c> (<c>@-</c> is stdin); dotted keys nest
/// (<c>source.branch.name=x</c>) and <c>key[]=v</c> appends to an array. <c>--input</c> sends a file as is.
/// </summary>
internal static class BodyBuilder
{
    public static IReadOnlyList<FieldArg> ParseFields(IEnumerable<string>? raw, IEnumerable<string>? typed)
    {
        var fields = new List<FieldArg>();
        foreach (var (items, isTyped) in new[] { (raw, false), (typed, true) })
        {
            foreach (var item in items ?? [])
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException($"field '{item}' is not key=value (use {(isTyped ? "-F" : "-f")} key=value)");
                }

                fields.Add(new FieldArg(item[..eq], item[(eq + 1)..], isTyped));
            }
        }

        return fields;
    }

    /// <summary>Builds the body for an endpoint, or null when there is nothing to send.</summary>
    public static HttpContent? Build(BodyKind kind, IReadOnlyList<FieldArg> fields, string? input, ConsoleIO io, IReadOnlyList<BodyFieldInfo>? described = null)
    {
        if (input is not null)
        {
            if (fields.Count > 0)
            {
                throw new UsageException("--input cannot be combined with -f/-F fields");
            }

            var bytes = ReadInput(input, io);
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(kind == BodyKind.Form ? "application/x-www-form-urlencoded" : "application/json");
            return content;
        }

        if (described is not null)
        {
            foreach (var field in described)
            {
                if (field.Required && !fields.Any(f => f.Key == field.Name || f.Key.StartsWith(field.Name + ".", StringComparison.Ordinal)))
                {
                    throw new UsageException($"missing required field '{field.Name}' (add -f {field.Name}=…)");
                }
            }
        }

        if (fields.Count == 0 && kind != BodyKind.Json)
        {
            return null;
        }

        return kind == BodyKind.Form ? BuildForm(fields, io) : BuildJson(fields, io);
    }

    public static StringContent BuildJson(IReadOnlyList<FieldArg> fields, ConsoleIO io)
    {
        var root = new JsonObject();
        foreach (var field in fields)
        {
            Set(root, field.Key, field.Typed ? TypedValue(field.Value, io) : JsonValue.Create(field.Value));
        }

        return new StringContent(root.ToJsonString(), Encoding.UTF8, "application/json");
    }

    public static FormUrlEncodedContent BuildForm(IReadOnlyList<FieldArg> fields, ConsoleIO io) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Typed ? TypedText(f.Value, io) : f.Value)));

    /// <summary>Fields as query parameters (for GET requests of <c>bb api</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string>> AsQuery(IReadOnlyList<FieldArg> fields, ConsoleIO io) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Typed ? TypedText(f.Value, io) : f.Value));

    private static void Set(JsonObject root, string key, JsonNode? value)
    {
        var parts = key.Split('.');
        var node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (parts[i].Length == 0)
            {
                throw new UsageException($"field name '{key}' has an empty part");
            }

            if (node[parts[i]] is JsonObject child)
            {
                node = child;
            }
            else if (node.ContainsKey(parts[i]))
            {
                throw new UsageException($"field '{key}' conflicts with an earlier field '{parts[i]}'");
            }
            else
            {
                node = (JsonObject)(node[parts[i]] = new JsonObject());
            }
        }

        var last = parts[^1];
        if (last.EndsWith("[]", StringComparison.Ordinal))
        {
            last = last[..^2];
            if (node[last] is not JsonArray array)
            {
                node[last] = array = [];
            }

            array.Add(value);
            return;
        }

        if (last.Length == 0)
        {
            throw new UsageException($"field name '{key}' has an empty part");
        }

        node[last] = value;
    }

    private static JsonNode? TypedValue(string value, ConsoleIO io)
    {
        switch (value)
        {
            case "true": return JsonValue.Create(true);
            case "false": return JsonValue.Create(false);
            case "null": return null;
        }

        if (value.StartsWith('@'))
        {
            return JsonValue.Create(Encoding.UTF8.GetString(ReadInput(value[1..], io)));
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    private static string TypedText(string value, ConsoleIO io) =>
        value.StartsWith('@') ? Encoding.UTF8.GetString(ReadInput(value[1..], io)) : value;

    private static byte[] ReadInput(string path, ConsoleIO io)
    {
        if (path == "-")
        {
            return Encoding.UTF8.GetBytes(io.In.ReadToEnd());
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{path}': {e.Message}");
        }
    }
}
