using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bitbucket.Cli.Core.Native;
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
    /// <summary>The most bb reads from <c>--input</c>, an <c>@file</c> field or stdin: far beyond any Bitbucket request body.</summary>
    public const int MaxInputBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The deepest a dotted field name may nest (<c>a.b.c</c> is 3): well beyond any Bitbucket body,
    /// and within what the JSON writer accepts, so a silly key is a usage error, not a crash.
    /// </summary>
    public const int MaxFieldDepth = 32;

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
                if (field.Required && !fields.Any(f => Supplies(f.Key, field.Name)))
                {
                    var key = field.Type == "array" ? field.Name + "[]" : field.Name;
                    throw new UsageException($"missing required field '{field.Name}' (add -f {key}=…)");
                }
            }
        }

        if (fields.Count == 0 && kind != BodyKind.Json)
        {
            return null;
        }

        return kind == BodyKind.Form ? BuildForm(fields, io, described) : BuildJson(fields, io, described);
    }

    public static StringContent BuildJson(IReadOnlyList<FieldArg> fields, ConsoleIO io, IReadOnlyList<BodyFieldInfo>? described = null)
    {
        var root = new JsonObject();
        foreach (var field in fields)
        {
            CheckDepth(field.Key);
            Set(root, field.Key, field.Typed ? TypedValue(field, DeclaredType(described, field.Key), io) : JsonValue.Create(field.Value));
        }

        return new StringContent(root.ToJsonString(), Encoding.UTF8, "application/json");
    }

    public static FormUrlEncodedContent BuildForm(IReadOnlyList<FieldArg> fields, ConsoleIO io, IReadOnlyList<BodyFieldInfo>? described = null) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Typed ? TypedText(f, DeclaredType(described, f.Key), io) : f.Value)));

    /// <summary>Fields as query parameters (for GET requests of <c>bb api</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string>> AsQuery(IReadOnlyList<FieldArg> fields, ConsoleIO io) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Typed ? TypedText(f, null, io) : f.Value));

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

    /// <summary>
    /// Whether a field given as <paramref name="key"/> sets the body field <paramref name="name"/>: the field itself,
    /// something nested in it (<c>name.x</c>) or an item of it (<c>name[]</c>).
    /// </summary>
    private static bool Supplies(string key, string name) =>
        key.StartsWith(name, StringComparison.Ordinal)
        && (key.Length == name.Length || key[name.Length] == '.' || key.AsSpan(name.Length).StartsWith("[]", StringComparison.Ordinal));

    /// <summary>The type api-spec.json declares for a body field (<c>boolean</c>, <c>integer</c>, <c>string</c>, …), if it describes it.</summary>
    private static string? DeclaredType(IReadOnlyList<BodyFieldInfo>? described, string key)
    {
        var name = key.EndsWith("[]", StringComparison.Ordinal) ? key[..^2] : key;
        return described?.FirstOrDefault(f => f.Name == name)?.Type;
    }

    private static void CheckDepth(string key)
    {
        var depth = key.Count(c => c == '.') + 1;
        if (depth > MaxFieldDepth)
        {
            var shown = key.Length > 40 ? key[..40] + "…" : key;
            throw new UsageException($"field name '{shown}' nests {depth} levels deep; at most {MaxFieldDepth} are allowed");
        }
    }

    /// <summary>
    /// <c>-F</c>: true/false/null, numbers and <c>@file</c> as gh converts them, except where the spec
    /// declares the field's type: a boolean takes only true/false(/null), an integer only a whole number,
    /// a string keeps the text as typed (<c>-F title=42</c> sends "42").
    /// </summary>
    private static JsonNode? TypedValue(FieldArg field, string? declared, ConsoleIO io)
    {
        var value = field.Value;
        if (value == "null")
        {
            return null;
        }

        switch (declared)
        {
            case "boolean":
                return JsonValue.Create(ParseBoolean(field));
            case "integer":
                return JsonValue.Create(ParseInteger(field));
            case "string":
                return JsonValue.Create(value.StartsWith('@') ? ReadText(value[1..], io) : value);
        }

        switch (value)
        {
            case "true": return JsonValue.Create(true);
            case "false": return JsonValue.Create(false);
        }

        if (value.StartsWith('@'))
        {
            return JsonValue.Create(ReadText(value[1..], io));
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

    private static string TypedText(FieldArg field, string? declared, ConsoleIO io) => declared switch
    {
        "boolean" => ParseBoolean(field) ? "true" : "false",
        "integer" => ParseInteger(field).ToString(CultureInfo.InvariantCulture),
        _ => field.Value.StartsWith('@') ? ReadText(field.Value[1..], io) : field.Value,
    };

    private static bool ParseBoolean(FieldArg field) => field.Value switch
    {
        "true" => true,
        "false" => false,
        _ => throw new UsageException($"invalid value '{Shown(field.Value)}' for field {field.Key}: it is a boolean, use true or false"),
    };

    private static long ParseInteger(FieldArg field) =>
        long.TryParse(field.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new UsageException($"invalid value '{Shown(field.Value)}' for field {field.Key}: it is an integer, use a whole number");

    private static string Shown(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static string ReadText(string path, ConsoleIO io) => Encoding.UTF8.GetString(ReadInput(path, io));

    /// <summary>
    /// <c>--input</c> and <c>@file</c>: stdin for <c>-</c>, else a regular file or a pipe (<c>&lt;(…)</c>);
    /// never a device or directory (<c>/dev/zero</c> never ends). At most <see cref="MaxInputBytes"/>,
    /// checked before reading when the size is known.
    /// </summary>
    private static byte[] ReadInput(string path, ConsoleIO io)
    {
        if (path == "-")
        {
            return Encoding.UTF8.GetBytes(ReadStdin(io));
        }

        CheckInputFile(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            using var content = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                content.Write(buffer, 0, read);
                if (content.Length > MaxInputBytes)
                {
                    throw TooLarge($"'{path}'");
                }
            }

            return content.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{path}': {e.Message}");
        }
    }

    private static string ReadStdin(ConsoleIO io)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = io.In.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxInputBytes)
            {
                throw TooLarge("stdin");
            }
        }

        return text.ToString();
    }

    private static void CheckInputFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixNative.FileStatus status;
        try
        {
            if (UnixNative.Stat(path, out status) != 0)
            {
                return; // missing or unreadable: opening it says why
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return;
        }

        switch (status.Mode & UnixNative.FileTypeMask)
        {
            case UnixNative.RegularFile when status.Size > MaxInputBytes:
                throw TooLarge($"'{path}'");
            case UnixNative.RegularFile or UnixNative.Fifo:
                return;
            default:
                throw new UsageException($"cannot read '{path}': not a regular file (a device, directory or socket); give a file, or - for stdin");
        }
    }

    private static UsageException TooLarge(string what) =>
        new($"{what} is larger than {MaxInputBytes / 1024 / 1024} MiB, the most bb sends as a request body or field");
}
