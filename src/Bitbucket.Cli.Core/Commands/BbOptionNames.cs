namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// The one list of option names bb itself puts on generated API commands. <c>CommonOptions</c> and
/// <c>BodyOptions</c> take their names from these constants, the spec generator rejects a spec
/// parameter that would reuse one (BB0027), and the OpenAPI importer leaves such a parameter out.
/// </summary>
/// <remarks>
/// Compiled into Bitbucket.Cli.Core and linked (<c>&lt;Compile Include Link&gt;</c>) into
/// generators/Bitbucket.Cli.Generator (netstandard2.0) and src/Bitbucket.Cli.OpenApiImport, so it
/// holds only constants and arrays and uses nothing newer than netstandard2.0. It is internal in each
/// assembly: a test project that sees two copies (through InternalsVisibleTo) would not compile.
/// </remarks>
internal static class BbOptionNames
{
    // CommonOptions: every API command.
    public const string Host = "host";
    public const string ApiUrl = "api-url";
    public const string Paginate = "paginate";
    public const string Limit = "limit";
    public const string Jsonl = "jsonl";
    public const string Query = "query";
    public const string Format = "format";
    public const string Include = "include";
    public const char IncludeShort = 'i';
    public const string Verbose = "verbose";
    public const char VerboseShort = 'v';
    public const string DryRun = "dry-run";
    public const string Timeout = "timeout";
    public const string Slurp = "slurp";
    public const string Parallel = "parallel";
    public const string Repo = "repo";
    public const char RepoShort = 'R';

    // BodyOptions: commands that send a body.
    public const string RawField = "raw-field";
    public const char RawFieldShort = 'f';
    public const string Field = "field";
    public const char FieldShort = 'F';
    public const string Input = "input";

    // Not declared by bb's option records, but taken all the same.
    /// <summary>Cocona adds <c>--help</c>/<c>-h</c> to every command (a command's own "help" option replaces it).</summary>
    public const string Help = "help";
    public const char HelpShort = 'h';

    /// <summary>Cocona's <c>--version</c>; bb answers any command line containing it with exit code 0 (BbApp.Normalize).</summary>
    public const string Version = "version";

    /// <summary>Cocona's shell completion; bb builds the whole command tree for any <c>--completion…</c> argument (CommandGroupScope).</summary>
    public const string Completion = "completion";
    public const string CompletionCandidates = "completion-candidates";

    /// <summary>Long names of <c>CommonOptions</c>, in declaration order.</summary>
    public static readonly string[] Common = [Host, ApiUrl, Paginate, Limit, Jsonl, Query, Format, Include, Verbose, DryRun, Timeout, Slurp, Parallel, Repo];

    /// <summary>Short names of <c>CommonOptions</c>.</summary>
    public static readonly char[] CommonShort = [IncludeShort, VerboseShort, RepoShort];

    /// <summary>Long names of <c>BodyOptions</c>, in declaration order.</summary>
    public static readonly string[] Body = [RawField, Field, Input];

    /// <summary>Short names of <c>BodyOptions</c>.</summary>
    public static readonly char[] BodyShort = [RawFieldShort, FieldShort];

    /// <summary>Long names Cocona or bb reserve on every command without an option record declaring them.</summary>
    public static readonly string[] Reserved = [Help, Version, Completion, CompletionCandidates];

    /// <summary>Short names Cocona reserves on every command.</summary>
    public static readonly char[] ReservedShort = [HelpShort];

    /// <summary>
    /// The bb option that an option named <paramref name="name"/> (as written after <c>--</c>) would collide
    /// with, as shown on the command line (<c>--timeout</c>, <c>-i (--include)</c>), or null if the name is
    /// free. A one-letter name counts as taken when it is one of bb's short names: <c>--i</c> next to
    /// <c>-i</c> meaning <c>--include</c> is a trap even though Cocona keeps the two apart.
    /// </summary>
    /// <param name="hasBody">Whether the command has <c>BodyOptions</c>.</param>
    public static string? Taken(string name, bool hasBody)
    {
        if (System.Array.IndexOf(Common, name) >= 0
            || System.Array.IndexOf(Reserved, name) >= 0
            || (hasBody && System.Array.IndexOf(Body, name) >= 0))
        {
            return "--" + name;
        }

        if (name.Length != 1)
        {
            return null;
        }

        // Option names are matched without regard to case (Cocona lower-cases them), so -F is taken by "f" too.
        foreach (var (shortName, longName) in ShortToLong)
        {
            var isBodyOption = System.Array.IndexOf(BodyShort, shortName) >= 0;
            if ((hasBody || !isBodyOption) && char.ToLowerInvariant(shortName) == char.ToLowerInvariant(name[0]))
            {
                return "-" + shortName + " (--" + longName + ")";
            }
        }

        return null;
    }

    private static readonly (char Short, string Long)[] ShortToLong =
    [
        (IncludeShort, Include), (VerboseShort, Verbose), (RepoShort, Repo), (HelpShort, Help), (RawFieldShort, RawField), (FieldShort, Field),
    ];
}
