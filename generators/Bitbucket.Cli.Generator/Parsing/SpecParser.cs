using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Bitbucket.Cli.Generator.Json;
using Bitbucket.Cli.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Generator.Parsing;

/// <summary>
/// Parses api-spec.json (format v2, and v1 as one Cloud API; docs/spec-format.md) into a <see cref="SpecModel"/> plus diagnostics.
/// A pure function of (path, text): no Roslyn symbols, no I/O. One mistake gives one diagnostic: each
/// endpoint, group and top-level section stops at its first problem and is left out of the model, and
/// the rest of the spec is still parsed and generated.
/// </summary>
internal sealed partial class SpecParser
{
    private static readonly string[] TopLevelKeysV1 = ["$schema", "specVersion", "api", "groups", "endpoints"];
    private static readonly string[] TopLevelKeysV2 = ["$schema", "specVersion", "apis", "groups", "endpoints"];
    private static readonly string[] ApiKeys = ["name", "baseUrl", "description"];
    private static readonly string[] GroupKeys = ["description"];

    private readonly Lazy<LineMap> lines;
    private readonly CancellationToken cancellationToken;
    private readonly List<DiagnosticInfo> diagnostics = [];

    /// <summary>1 or 2; decides the top-level keys, and whether endpoints may name their API.</summary>
    private int version = 1;

    private SpecParser(string path, string text, CancellationToken cancellationToken)
    {
        lines = new Lazy<LineMap>(() => new LineMap(path, text)); // only needed when something is wrong
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Parses one spec text. Never throws except for cancellation.</summary>
    public static ParseResult Parse(string path, string text, CancellationToken cancellationToken = default)
    {
        try
        {
            var parser = new SpecParser(path, text, cancellationToken);
            var spec = parser.ParseDocument(text);
            return new ParseResult(path, spec, parser.diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            var location = new LocationInfo(path, 0, 0, 0, 0, 0, 0);
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, ex.GetType().Name + ": " + ex.Message);
            return new ParseResult(path, SpecModel.Empty, new[] { diagnostic }.ToEquatableArray());
        }
    }

    private SpecModel ParseDocument(string text)
    {
        var (root, syntaxError) = JsonReader.Parse(text);
        if (syntaxError is { } error)
        {
            Report(error.NotUtf8 ? DiagnosticDescriptors.InvalidUtf8 : DiagnosticDescriptors.InvalidJson, Locate(error.Start, error.Length), error.Message);
            return SpecModel.Empty;
        }

        if (IsOtherVersion(root!))
        {
            return SpecModel.Empty; // reading another format version as v1 would only cascade
        }

        ObjectFields top;
        try
        {
            top = Open(root!, "the spec", this.version == 2 ? TopLevelKeysV2 : TopLevelKeysV1, fatal: false, jsonKey: "(root)", otherVersionKeys: OtherVersionTopKeys);
            CheckSpecVersion(top);
        }
        catch (SpecError e)
        {
            ReportError(e);
            return SpecModel.Empty;
        }

        Section(() => top.OptionalStringNode("$schema"));
        var apis = Section(() => this.version == 2 ? ParseApis(top) : ParseApiV1(top));
        var groups = Section(() => ParseGroups(top));
        var endpoints = Section(() => ParseEndpoints(top, groups, apis)) ?? [];

        var apiModels = (apis?.Values ?? Enumerable.Empty<ApiModel?>())
            .Where(a => a is not null)
            .Select(a => a!)
            .OrderBy(a => a.Flavor)
            .ToList();
        var groupModels = new List<GroupModel>();
        foreach (var flavor in new[] { Flavor.Cloud, Flavor.DataCenter })
        {
            var usedGroups = new HashSet<string>(endpoints.Where(e => e.Flavor == flavor).Select(e => e.Group));
            groupModels.AddRange((groups?.Ordered ?? [])
                .Where(g => g.Model is not null)
                .Select(g => g.Model!)
                .Concat(ImplicitGroups(groups, endpoints))
                .Where(g => usedGroups.Contains(g.Name))
                .Select(g => g with { Flavor = flavor, ClassName = flavor.NamePrefix() + g.ClassName }));
        }

        var baseUrl = apiModels.FirstOrDefault(a => a.Flavor == Flavor.Cloud)?.BaseUrl ?? string.Empty;
        return new SpecModel(baseUrl, apiModels.ToEquatableArray(), groupModels.ToEquatableArray(), endpoints.ToEquatableArray());
    }

    /// <summary>Top-level keys of the other format version, reported as such rather than as typos.</summary>
    private Dictionary<string, (int Version, string Fix)> OtherVersionTopKeys => this.version == 2
        ? new() { ["api"] = (1, "declare the APIs in \"apis\": { \"cloud\": { ... } }") }
        : new() { ["apis"] = (2, "write \"specVersion\": 2, or declare the one API in \"api\"") };

    /// <summary>Checked before anything else: a spec of an unknown version gets BB0016 and nothing more.</summary>
    private bool IsOtherVersion(JsonNode root)
    {
        var version = (root as JsonObject)?.Properties.FirstOrDefault(p => p.Name == "specVersion")?.Value as JsonNumber;
        if (version is null || version.Raw == "1")
        {
            return false;
        }

        if (version.Raw == "2")
        {
            this.version = 2;
            return false;
        }

        Report(DiagnosticDescriptors.UnsupportedSpecVersion, Locate(version), version.Raw);
        return true;
    }

    /// <summary>A missing or non-number specVersion is reported, and the spec is still read as v1.</summary>
    private void CheckSpecVersion(ObjectFields top)
    {
        try
        {
            var node = top.Required("specVersion", "2");
            if (node is not JsonNumber)
            {
                throw Fail(DiagnosticDescriptors.WrongJsonType, node, "specVersion", "the number 2 (or 1)", node.KindName);
            }
        }
        catch (SpecError e)
        {
            ReportError(e);
        }
    }

    /// <summary>A v1 <c>"api"</c>: one Cloud API with Cloud's OAuth paths, current-user endpoint and paging.</summary>
    private Dictionary<Flavor, ApiModel?> ParseApiV1(ObjectFields top)
    {
        var api = Open(top.Required("api", "{ \"name\": \"Bitbucket\", \"baseUrl\": \"https://api.bitbucket.org\" }"), "\"api\"", ApiKeys, fatal: true, jsonKey: "api");
        var name = api.RequiredString("name", "\"Bitbucket\"");
        var baseUrlNode = api.RequiredStringNode("baseUrl", "\"https://api.bitbucket.org\"");
        api.OptionalString("description");
        var baseUrl = baseUrlNode.Value;
        if (!IsValidBaseUrl(baseUrl))
        {
            throw Fail(DiagnosticDescriptors.InvalidBaseUrl, baseUrlNode, baseUrl);
        }

        return new Dictionary<Flavor, ApiModel?> { [Flavor.Cloud] = ApiModel.CloudDefaults(name, baseUrl) };
    }

    private static bool IsValidBaseUrl(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == "http" || uri.Scheme == "https")
            && !value.EndsWith("/", StringComparison.Ordinal)
            && value.IndexOfAny(['?', '#', ' ']) < 0;

    private GroupTable ParseGroups(ObjectFields top)
    {
        var node = top.Required("groups", "{ \"repos\": { \"description\": \"...\" } }");
        var groupsObject = ExpectObject("groups", node);
        var table = new GroupTable();
        var classNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in groupsObject.Properties)
        {
            this.cancellationToken.ThrowIfCancellationRequested();
            if (table.Lookup.ContainsKey(property.Name))
            {
                Report(DiagnosticDescriptors.DuplicateKey, Locate(property.Key), property.Name);
                continue;
            }

            var declared = new DeclaredGroup(property.Name);
            table.Add(declared);
            try
            {
                if (!Naming.IsKebabCase(property.Name))
                {
                    throw NotKebabCase("Group", property.Key);
                }

                var className = Naming.PascalCase(property.Name) + "Commands";
                if (ReservedClassNames.Contains(className))
                {
                    throw Fail(DiagnosticDescriptors.ReservedClassName, property.Key, property.Name, className);
                }

                if (classNames.TryGetValue(className, out var other))
                {
                    throw Fail(DiagnosticDescriptors.GroupClassCollision, property.Key, other, property.Name, className);
                }

                var group = Open(property.Value, $"group \"{property.Name}\"", GroupKeys, fatal: true, jsonKey: property.Name);
                var description = group.RequiredString("description", "\"what the commands in this group do\"");
                classNames.Add(className, property.Name);
                declared.Model = new GroupModel(property.Name, description, className);
            }
            catch (SpecError e)
            {
                ReportError(e);
            }
        }

        return table;
    }

    /// <summary>When "groups" itself is broken, endpoints keep their groups (without descriptions) instead of each failing.</summary>
    private static IEnumerable<GroupModel> ImplicitGroups(GroupTable? groups, List<EndpointModel> endpoints)
        => groups is not null
            ? []
            : endpoints
                .GroupBy(e => e.Group)
                .Select(g => new GroupModel(g.Key, string.Empty, Naming.PascalCase(g.Key) + "Commands"));

    // ---- helpers shared by the partial files ----

    internal ObjectFields Open(
        JsonNode node,
        string what,
        string[] knownKeys,
        bool fatal,
        string jsonKey,
        Dictionary<string, (int Version, string Fix)>? otherVersionKeys = null)
    {
        var obj = ExpectObject(jsonKey, node);
        var fields = new ObjectFields(this, obj, what);
        foreach (var property in obj.Properties)
        {
            if (!fields.TryAdd(property))
            {
                var duplicate = Fail(DiagnosticDescriptors.DuplicateKey, property.Key, property.Name);
                if (fatal)
                {
                    throw duplicate;
                }

                ReportError(duplicate);
                continue;
            }

            if (Array.IndexOf(knownKeys, property.Name) >= 0
                || property.Name.StartsWith("x-", StringComparison.Ordinal)
                || property.Name == "$schema")
            {
                continue;
            }

            if (otherVersionKeys is not null && otherVersionKeys.TryGetValue(property.Name, out var other))
            {
                var version = Fail(
                    DiagnosticDescriptors.KeyOfOtherVersion,
                    property.Key,
                    property.Name,
                    other.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    this.version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    other.Fix);
                if (fatal)
                {
                    throw version;
                }

                ReportError(version);
                continue;
            }

            var suggestion = knownKeys
                .Select(k => (Key: k, Distance: Naming.EditDistance(property.Name.ToLowerInvariant(), k.ToLowerInvariant())))
                .Where(k => k.Distance <= Math.Max(1, k.Key.Length / 3))
                .OrderBy(k => k.Distance)
                .Select(k => k.Key)
                .FirstOrDefault();
            string hint;
            if (suggestion is not null)
            {
                fields.MarkMisspelled(suggestion);
                hint = $"did you mean \"{suggestion}\"?";
            }
            else
            {
                hint = "known keys are " + string.Join(", ", knownKeys.Select(k => "\"" + k + "\"")) + " (prefix notes with \"x-\")";
            }

            var unknown = Fail(DiagnosticDescriptors.UnknownKey, property.Key, property.Name, what, hint);
            if (fatal)
            {
                throw unknown;
            }

            ReportError(unknown);
        }

        return fields;
    }

    internal JsonString ExpectString(string key, JsonNode node)
        => node as JsonString ?? throw Fail(DiagnosticDescriptors.WrongJsonType, node, key, "a string", node.KindName);

    internal JsonBoolean ExpectBoolean(string key, JsonNode node)
        => node as JsonBoolean ?? throw Fail(DiagnosticDescriptors.WrongJsonType, node, key, "true or false", node.KindName);

    internal JsonArray ExpectArray(string key, JsonNode node)
        => node as JsonArray ?? throw Fail(DiagnosticDescriptors.WrongJsonType, node, key, "an array", node.KindName);

    internal JsonObject ExpectObject(string key, JsonNode node)
        => node as JsonObject ?? throw Fail(DiagnosticDescriptors.WrongJsonType, node, key, "an object", node.KindName);

    internal SpecError MissingField(ObjectFields fields, string key, string example, bool reportable)
        => reportable
            ? Fail(DiagnosticDescriptors.MissingField, Locate(fields.Object.Start, 1), Capitalize(fields.What), key, example)
            : SpecError.Silent;

    internal SpecError Fail(DiagnosticDescriptor descriptor, JsonNode at, params string[] args)
        => Fail(descriptor, Locate(at), args);

    internal SpecError Fail(DiagnosticDescriptor descriptor, LocationInfo at, params string[] args)
        => new(DiagnosticInfo.Create(descriptor, at, args));

    private void Report(DiagnosticDescriptor descriptor, LocationInfo at, params string[] args)
        => this.diagnostics.Add(DiagnosticInfo.Create(descriptor, at, args));

    private void ReportError(SpecError error)
    {
        if (error.Diagnostic is { } diagnostic)
        {
            this.diagnostics.Add(diagnostic);
        }
    }

    /// <summary>Runs one independent part of the spec; its first problem is reported and the part is skipped.</summary>
    private T? Section<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (SpecError e)
        {
            ReportError(e);
            return default;
        }
    }

    private LocationInfo Locate(JsonNode node) => lines.Value.Locate(node.Start, node.Length);

    private LocationInfo Locate(int start, int length) => lines.Value.Locate(start, length);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    /// <param name="what">"Group" or "Command".</param>
    private SpecError NotKebabCase(string what, JsonString name)
        => Fail(DiagnosticDescriptors.NotKebabCase, name, what, name.Value, SuggestKebab(name.Value));

    private static string SuggestKebab(string name)
    {
        var cli = Naming.CliName(Naming.Words(name));
        return Naming.IsKebabCase(cli) ? cli : "list-comments";
    }

    /// <summary>A problem found while parsing; unwinds to the enclosing endpoint, group or section.</summary>
    internal sealed class SpecError : Exception
    {
        public SpecError(DiagnosticInfo? diagnostic)
        {
            Diagnostic = diagnostic;
        }

        /// <summary>An error already covered by another diagnostic (e.g. a misspelled key): skip quietly.</summary>
        public static SpecError Silent => new(null);

        public DiagnosticInfo? Diagnostic { get; }
    }

    private sealed class DeclaredGroup(string name)
    {
        public string Name { get; } = name;

        /// <summary>Null when the declaration itself is wrong (already reported).</summary>
        public GroupModel? Model { get; set; }
    }

    private sealed class GroupTable
    {
        public List<DeclaredGroup> Ordered { get; } = [];

        public Dictionary<string, DeclaredGroup> Lookup { get; } = new(StringComparer.Ordinal);

        public void Add(DeclaredGroup group)
        {
            Ordered.Add(group);
            Lookup.Add(group.Name, group);
        }
    }
}
