using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Generator;

/// <summary>
/// Every diagnostic the generator reports, in one place. Ids are stable: never renumber or reuse one
/// (docs/generator-diagnostics.md lists them for users). All are errors: a spec mistake must fail the build.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "BbSpec";

    public static readonly DiagnosticDescriptor InvalidJson = Error(
        "BB0001", "api-spec.json is not valid JSON", "Invalid JSON: {0}");

    public static readonly DiagnosticDescriptor MissingField = Error(
        "BB0002", "Missing required field", "{0} has no \"{1}\"; add \"{1}\": {2}");

    public static readonly DiagnosticDescriptor UnknownMethod = Error(
        "BB0003", "Unknown HTTP method", "Unknown HTTP method \"{0}\"; {1}");

    public static readonly DiagnosticDescriptor PlaceholderWithoutParameter = Error(
        "BB0004", "Path placeholder without a path parameter", "{0}");

    public static readonly DiagnosticDescriptor ParameterWithoutPlaceholder = Error(
        "BB0005", "Path parameter without a placeholder", "Path parameter \"{0}\" does not appear in the path; add \"{{{0}}}\" to \"path\" or change \"in\" to \"query\"");

    public static readonly DiagnosticDescriptor DuplicateEndpoint = Error(
        "BB0006", "Duplicate command", "Command \"{0} {1}\" is already defined at line {2}; rename one of them");

    public static readonly DiagnosticDescriptor InvalidName = Error(
        "BB0007", "Invalid name", "{0}");

    public static readonly DiagnosticDescriptor UnknownType = Error(
        "BB0008", "Unknown type", "Unknown {0} type \"{1}\"; use {2}");

    public static readonly DiagnosticDescriptor UnknownLocation = Error(
        "BB0009", "Unknown parameter location", "Unknown parameter location \"{0}\"; \"in\" must be \"path\", \"query\" or \"header\"");

    public static readonly DiagnosticDescriptor WrongJsonType = Error(
        "BB0010", "Wrong JSON type", "\"{0}\" must be {1}, but this is {2}");

    public static readonly DiagnosticDescriptor EnumValues = Error(
        "BB0011", "Enum values", "{0}");

    public static readonly DiagnosticDescriptor UndeclaredGroup = Error(
        "BB0012", "Group not declared", "Group \"{0}\" is not declared; add \"{0}\": {{ \"description\": \"...\" }} to \"groups\"{1}");

    public static readonly DiagnosticDescriptor UnknownBodyKind = Error(
        "BB0013", "Unknown body kind", "{0}");

    public static readonly DiagnosticDescriptor DuplicateParameter = Error(
        "BB0014", "Duplicate parameter", "{0} \"{1}\" is declared twice in this endpoint; remove or rename one");

    public static readonly DiagnosticDescriptor NameCollision = Error(
        "BB0015", "Generated name collision", "{0}");

    public static readonly DiagnosticDescriptor UnsupportedSpecVersion = Error(
        "BB0016", "Unsupported specVersion", "specVersion {0} is not supported by this generator; use 1");

    public static readonly DiagnosticDescriptor InvalidDefault = Error(
        "BB0017", "Invalid default value", "{0}");

    public static readonly DiagnosticDescriptor InvalidPath = Error(
        "BB0018", "Invalid path", "Path \"{0}\" must start with '/', for example \"/2.0/user\"");

    public static readonly DiagnosticDescriptor UnknownKey = Error(
        "BB0019", "Unknown key", "Unknown key \"{0}\" in {1}; {2}");

    public static readonly DiagnosticDescriptor DuplicateKey = Error(
        "BB0020", "Duplicate key", "Key \"{0}\" appears twice in this object; remove one (JSON readers disagree on which wins)");

    public static readonly DiagnosticDescriptor MultipleSpecFiles = Error(
        "BB0021", "More than one api-spec.json", "More than one api-spec.json is passed as AdditionalFiles: {0} is used and {1} is ignored; pass only one");

    public static readonly DiagnosticDescriptor InvalidNamespace = Error(
        "BB0022", "Invalid BbSpecNamespace", "BbSpecNamespace \"{0}\" is not a valid C# namespace; using \"{1}\" instead");

    public static readonly DiagnosticDescriptor InvalidBaseUrl = Error(
        "BB0023", "Invalid baseUrl", "baseUrl \"{0}\" must be an absolute http(s) URL without a trailing slash, for example \"https://api.bitbucket.org\"");

    public static readonly DiagnosticDescriptor OptionalPathParameter = Error(
        "BB0024", "Optional path parameter", "Path parameter \"{0}\" is part of the URL and always required; remove \"required\": false, or make it a query parameter");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "BB0025", "Internal generator error", "The bb spec generator failed unexpectedly ({0}); please report this with the api-spec.json that caused it");

    public static readonly DiagnosticDescriptor SlashesNotOnPath = Error(
        "BB0026", "\"slashes\" on a non-path parameter", "\"slashes\" applies only to path parameters, and \"{0}\" is a {1} parameter; remove \"slashes\", or change \"in\" to \"path\"");

    private static readonly Dictionary<string, DiagnosticDescriptor> Index = All().ToDictionary(d => d.Id);

    /// <summary>Every descriptor, in id order (tests and docs check that none is missing).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All() =>
    [
        InvalidJson, MissingField, UnknownMethod, PlaceholderWithoutParameter, ParameterWithoutPlaceholder,
        DuplicateEndpoint, InvalidName, UnknownType, UnknownLocation, WrongJsonType, EnumValues, UndeclaredGroup,
        UnknownBodyKind, DuplicateParameter, NameCollision, UnsupportedSpecVersion, InvalidDefault, InvalidPath,
        UnknownKey, DuplicateKey, MultipleSpecFiles, InvalidNamespace, InvalidBaseUrl, OptionalPathParameter, InternalError,
        SlashesNotOnPath,
    ];

    public static DiagnosticDescriptor ById(string id) => Index[id];

    private static DiagnosticDescriptor Error(string id, string title, string messageFormat)
        => new(id, title, messageFormat, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
