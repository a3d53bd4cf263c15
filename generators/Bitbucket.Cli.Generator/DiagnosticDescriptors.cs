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
        "BB0004", "Path placeholder without a parameter", "Path placeholder \"{{{0}}}\" has no parameter; add {{ \"name\": \"{0}\", \"in\": \"path\" }} to \"parameters\"");

    public static readonly DiagnosticDescriptor ParameterWithoutPlaceholder = Error(
        "BB0005", "Path parameter without a placeholder", "Path parameter \"{0}\" does not appear in the path; add \"{{{0}}}\" to \"path\" or change \"in\" to \"query\"");

    public static readonly DiagnosticDescriptor DuplicateEndpoint = Error(
        "BB0006", "Duplicate command", "Command \"{0} {1}\" is already defined at line {2}; rename one of them");

    public static readonly DiagnosticDescriptor NotKebabCase = Error(
        "BB0007", "Name is not kebab-case", "{0} name \"{1}\" must be kebab-case (lower-case letters and digits, words joined by '-', starting with a letter), for example \"{2}\"");

    public static readonly DiagnosticDescriptor UnknownType = Error(
        "BB0008", "Unknown type", "Unknown {0} type \"{1}\"; use {2}");

    public static readonly DiagnosticDescriptor UnknownLocation = Error(
        "BB0009", "Unknown parameter location", "Unknown parameter location \"{0}\"; \"in\" must be \"path\", \"query\" or \"header\"");

    public static readonly DiagnosticDescriptor WrongJsonType = Error(
        "BB0010", "Wrong JSON type", "\"{0}\" must be {1}, but this is {2}");

    public static readonly DiagnosticDescriptor EnumWithoutValues = Error(
        "BB0011", "Enum without values", "An enum parameter needs \"values\", a non-empty list of the allowed strings, for example \"values\": [\"OPEN\", \"MERGED\"]");

    public static readonly DiagnosticDescriptor UndeclaredGroup = Error(
        "BB0012", "Group not declared", "Group \"{0}\" is not declared; add \"{0}\": {{ \"description\": \"...\" }} to \"groups\"{1}");

    public static readonly DiagnosticDescriptor UnknownBodyKind = Error(
        "BB0013", "Unknown body kind", "Unknown body kind \"{0}\"; use \"json\", \"form\" (application/x-www-form-urlencoded) or \"none\"");

    public static readonly DiagnosticDescriptor DuplicateParameter = Error(
        "BB0014", "Duplicate parameter", "Parameter \"{0}\" is declared twice in this endpoint; remove or rename one");

    public static readonly DiagnosticDescriptor CommandNameCollision = Error(
        "BB0015", "Two commands generate one C# name", "Commands \"{0}\" and \"{1}\" both generate the C# name {2}; rename one of them");

    public static readonly DiagnosticDescriptor UnsupportedSpecVersion = Error(
        "BB0016", "Unsupported specVersion", "specVersion {0} is not supported by this generator; use 2 (or 1)");

    public static readonly DiagnosticDescriptor DefaultOfWrongType = Error(
        "BB0017", "Default of the wrong type", "Default of {0} parameter \"{1}\" must be {2}, but this is {3}");

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

    // BB0027 and later: misuses that BB0004, BB0007, BB0011, BB0013, BB0014, BB0015 and BB0017 used to share.

    public static readonly DiagnosticDescriptor ReservedOptionName = Error(
        "BB0027", "Parameter reuses one of bb's own options", "Parameter \"{0}\" would become the option --{1}, which clashes with bb's own {2}; give it another option name, for example \"option\": \"{3}\", or leave it out of the spec");

    public static readonly DiagnosticDescriptor PlaceholderParameterNotInPath = Error(
        "BB0028", "Path placeholder names a query or header parameter", "Path placeholder \"{{{0}}}\" names a parameter declared with \"in\": \"{1}\"; change its \"in\" to \"path\"");

    public static readonly DiagnosticDescriptor UnbalancedBrace = Error(
        "BB0029", "Unbalanced brace in path", "Path has a '{0}' without a matching '{1}'; placeholders look like {{repo_slug}}");

    public static readonly DiagnosticDescriptor InvalidPlaceholder = Error(
        "BB0030", "Path placeholder is not a name", "Path placeholder \"{{{0}}}\" is not a parameter name; write the path parameter's name inside the braces, for example {{repo_slug}}");

    public static readonly DiagnosticDescriptor ParameterNameWithoutLetters = Error(
        "BB0031", "Parameter name without letters or digits", "Parameter name \"{0}\" has no letters or digits to derive an option name from; use the API's parameter name, for example \"repo_slug\"");

    public static readonly DiagnosticDescriptor InvalidBodyFieldName = Error(
        "BB0032", "Body field name is not a field path", "Body field name \"{0}\" is not a field path; write the names joined by dots, as in \"source.branch.name\"");

    public static readonly DiagnosticDescriptor ValuesWithoutEnum = Error(
        "BB0033", "\"values\" on a non-enum parameter", "\"values\" is only allowed with \"type\": \"enum\"; add \"type\": \"enum\" or remove \"values\"");

    public static readonly DiagnosticDescriptor DuplicateEnumValue = Error(
        "BB0034", "Enum value listed twice", "\"{0}\" is listed twice in \"values\"; remove one");

    public static readonly DiagnosticDescriptor FieldsOnBodyNone = Error(
        "BB0035", "Fields on a body of kind none", "A body of kind \"none\" cannot have fields; use \"json\" or \"form\", or remove \"fields\"");

    public static readonly DiagnosticDescriptor DuplicateBodyField = Error(
        "BB0036", "Duplicate body field", "Body field \"{0}\" is declared twice in this body; remove or rename one");

    public static readonly DiagnosticDescriptor ParameterNameCollision = Error(
        "BB0037", "Two parameters generate one name", "Parameters \"{0}\" and \"{1}\" both become {2}; the spec cannot expose both, leave one out");

    public static readonly DiagnosticDescriptor ReservedClassName = Error(
        "BB0038", "Group generates a class the generator emits", "Group \"{0}\" would generate the class {1}, which the generator already emits; rename the group");

    public static readonly DiagnosticDescriptor GroupClassCollision = Error(
        "BB0039", "Two groups generate one class", "Groups \"{0}\" and \"{1}\" both generate the class {2}; rename one of them");

    public static readonly DiagnosticDescriptor ReservedMemberName = Error(
        "BB0040", "Command generates a member the generator emits", "Command \"{0}\" would generate the member {1}, which the generator already uses; rename the command");

    public static readonly DiagnosticDescriptor MethodNamedLikeClass = Error(
        "BB0041", "Command method named like its class", "Command \"{0}\" would generate the method {1} inside the class of the same name; rename the command");

    public static readonly DiagnosticDescriptor DefaultOnPathParameter = Error(
        "BB0042", "Default on a path parameter", "Path parameter \"{0}\" is always given on the command line, so it cannot have a default; remove \"default\"");

    public static readonly DiagnosticDescriptor DefaultOnRequiredParameter = Error(
        "BB0043", "Default on a required parameter", "Parameter \"{0}\" is required, so a default would never be used; remove \"default\" or \"required\"");

    public static readonly DiagnosticDescriptor DefaultNotInValues = Error(
        "BB0044", "Enum default not among the values", "Default \"{0}\" is not one of the enum's values ({1}); use one of them");

    public static readonly DiagnosticDescriptor DefaultOutOfRange = Error(
        "BB0045", "Integer default out of range", "Default {0} is not a whole number between -9223372036854775808 and 9223372036854775807; write an integer such as 10");

    // BB0046 and later: spec format v2 (several APIs, "api" per endpoint, "option" per parameter).

    public static readonly DiagnosticDescriptor UnknownApi = Error(
        "BB0046", "Unknown API", "\"{0}\" is not an API bb knows; the keys of \"apis\" are \"cloud\" and \"datacenter\"{1}");

    public static readonly DiagnosticDescriptor UndeclaredApi = Error(
        "BB0047", "Endpoint of an undeclared API", "This endpoint belongs to the API \"{0}\", which \"apis\" does not declare; {1}");

    public static readonly DiagnosticDescriptor UnknownPaging = Error(
        "BB0048", "Unknown paging style", "Unknown paging \"{0}\"; use \"next\" (a next link, as Bitbucket Cloud) or \"start-limit\" (start and limit, as Bitbucket Data Center)");

    public static readonly DiagnosticDescriptor UnknownSignatureMethod = Error(
        "BB0049", "Unknown OAuth signature method", "Unknown signature method \"{0}\"; use \"HMAC-SHA1\", \"HMAC-SHA256\", \"RSA-SHA1\" or \"PLAINTEXT\"");

    public static readonly DiagnosticDescriptor InvalidApiPath = Error(
        "BB0050", "Invalid API path", "\"{0}\" must be a path below the host's API URL, starting with '/' and without '?', '#', '{{' or spaces, for example \"{1}\"");

    public static readonly DiagnosticDescriptor OptionNotKebabCase = Error(
        "BB0051", "Option name is not kebab-case", "Option name \"{0}\" must be kebab-case (lower-case letters and digits, words joined by '-', starting with a letter) and is written without the leading --, for example \"{1}\"");

    public static readonly DiagnosticDescriptor OptionOnPathParameter = Error(
        "BB0052", "\"option\" on a path parameter", "Path parameter \"{0}\" is a positional argument, not an option; remove \"option\"");

    public static readonly DiagnosticDescriptor NoApis = Error(
        "BB0053", "No API declared", "\"apis\" declares no API; add \"cloud\" or \"datacenter\" with its name, paging, oauth and currentUser");

    public static readonly DiagnosticDescriptor KeyOfOtherVersion = Error(
        "BB0054", "Key of another specVersion", "\"{0}\" belongs to specVersion {1}, but this spec is specVersion {2}; {3}");

    public static readonly DiagnosticDescriptor InvalidUtf8 = Error(
        "BB0055", "api-spec.json is not valid UTF-8", "Invalid UTF-8: {0}");

    public static readonly DiagnosticDescriptor LossyParameterName = Error(
        "BB0056", "Parameter name loses letters", "Parameter name \"{0}\" has letters or digits outside ASCII ({1}) that a command-line name cannot keep: it would become {2}; {3}");

    public static readonly DiagnosticDescriptor UnknownContext = Error(
        "BB0057", "Unknown repository coordinate", "Unknown \"context\" value \"{0}\"; use \"owner\" (the workspace or project key) or \"repo\" (the repository slug)");

    public static readonly DiagnosticDescriptor MisplacedContext = Error(
        "BB0058", "Repository coordinates misplaced", "Parameter \"{0}\" {1}");

    private static readonly Dictionary<string, DiagnosticDescriptor> Index = All().ToDictionary(d => d.Id);

    /// <summary>Every descriptor, in id order (tests and docs check that none is missing).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All() =>
    [
        InvalidJson, MissingField, UnknownMethod, PlaceholderWithoutParameter, ParameterWithoutPlaceholder,
        DuplicateEndpoint, NotKebabCase, UnknownType, UnknownLocation, WrongJsonType, EnumWithoutValues, UndeclaredGroup,
        UnknownBodyKind, DuplicateParameter, CommandNameCollision, UnsupportedSpecVersion, DefaultOfWrongType, InvalidPath,
        UnknownKey, DuplicateKey, MultipleSpecFiles, InvalidNamespace, InvalidBaseUrl, OptionalPathParameter, InternalError,
        SlashesNotOnPath, ReservedOptionName, PlaceholderParameterNotInPath, UnbalancedBrace, InvalidPlaceholder,
        ParameterNameWithoutLetters, InvalidBodyFieldName, ValuesWithoutEnum, DuplicateEnumValue, FieldsOnBodyNone,
        DuplicateBodyField, ParameterNameCollision, ReservedClassName, GroupClassCollision, ReservedMemberName,
        MethodNamedLikeClass, DefaultOnPathParameter, DefaultOnRequiredParameter, DefaultNotInValues, DefaultOutOfRange,
        UnknownApi, UndeclaredApi, UnknownPaging, UnknownSignatureMethod, InvalidApiPath, OptionNotKebabCase,
        OptionOnPathParameter, NoApis, KeyOfOtherVersion, InvalidUtf8, LossyParameterName, UnknownContext, MisplacedContext,
    ];

    public static DiagnosticDescriptor ById(string id) => Index[id];

    private static DiagnosticDescriptor Error(string id, string title, string messageFormat)
        => new(id, title, messageFormat, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
