using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitbucket.Cli.OpenApiImport;

/// <summary>
/// <c>bb-import &lt;openapi.yml|json&gt; --spec api-spec.json [--tag T]... [--path-prefix P]... [--group G] [--api cloud|datacenter] [--out FILE|-] [--dry-run]</c>.
/// Exit codes: 0 done, 1 error (unreadable input), 2 usage.
/// </summary>
internal static class ImportCommand
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage: dotnet run --project src/Bitbucket.Cli.OpenApiImport -- <openapi.yml|json> --spec FILE [options]

        Imports OpenAPI 3 operations into a bb spec file, keeping hand-written entries.

          --spec FILE          spec to merge into (created if missing)
          --tag T              only operations tagged T (repeatable)
          --path-prefix P      only operations whose path starts with P, with or without
                               the server's version segment (repeatable)
          --group G            put every imported endpoint in group G
          --api A              the API the document describes: cloud or datacenter
                               (default: datacenter when the server URL's path is /rest,
                               as in http://{baseurl}/rest, else cloud)
          --out FILE           write here instead of --spec ('-' for stdout)
          --dry-run            report only, write nothing
          -h, --help           show this help

        Each operation is reported on stderr (imported, refreshed, kept, fixed, skipped),
        followed by a summary line. Exit codes: 0 ok, 1 error, 2 usage.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var arguments, out var problem))
        {
            stderr.WriteLine($"error: {problem}");
            stderr.WriteLine(UsageText);
            return Usage;
        }

        if (arguments is null)
        {
            stdout.WriteLine(UsageText);
            return Ok;
        }

        if (!TryRead(arguments, stderr, out var document, out var existing))
        {
            return Error;
        }

        MergeResult merged;
        ImportResult import;
        try
        {
            import = OpenApiImporter.Import(document, arguments.Options);
            merged = SpecMerger.Merge(existing, import, arguments.Options);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OpenApiRefException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return Error;
        }

        var report = import.Report.Concat(merged.Report).ToList();
        foreach (var line in report)
        {
            stderr.WriteLine(line);
        }

        stderr.WriteLine(Summary(import.Selected, report));

        if (arguments.DryRun)
        {
            return Ok;
        }

        var text = SpecWriter.Write(merged.Spec);
        return WriteSpec(text, arguments.Out ?? arguments.Spec, stdout, stderr);
    }

    /// <summary>Reads the OpenAPI document and the existing spec, if there is one; false, after saying why, when either cannot be read.</summary>
    private static bool TryRead(Arguments arguments, TextWriter stderr, out JsonObject document, out JsonObject? existing)
    {
        document = null!;
        existing = null;
        try
        {
            document = OpenApiLoader.Parse(File.ReadAllText(arguments.Input));
            if (File.Exists(arguments.Spec))
            {
                existing = JsonNode.Parse(File.ReadAllText(arguments.Spec)) as JsonObject
                    ?? throw new FormatException("the spec's top level is not an object");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or JsonException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return false;
        }

        return true;
    }

    /// <summary>Writes the spec to <paramref name="output"/>, <c>-</c> meaning stdout.</summary>
    private static int WriteSpec(string text, string output, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (output == "-")
            {
                stdout.Write(text);
            }
            else
            {
                File.WriteAllText(output, text);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return Error;
        }

        return Ok;
    }

    public static string Summary(int selected, IReadOnlyCollection<ReportLine> report)
    {
        int Count(ReportKind kind) => report.Count(r => r.Kind == kind);
        return $"summary: {selected} selected, {Count(ReportKind.Imported)} imported, {Count(ReportKind.Refreshed)} refreshed, "
            + $"{Count(ReportKind.Kept)} kept, {Count(ReportKind.Skipped)} skipped, {Count(ReportKind.Fixed)} fixed";
    }

    private sealed record Arguments(string Input, string Spec, string? Out, bool DryRun, ImportOptions Options);

    /// <summary>Parses the command line; <paramref name="arguments"/> is null (and true returned) for --help.</summary>
    private static bool TryParse(string[] args, out Arguments? arguments, out string? problem)
    {
        arguments = null;
        var reader = new ArgumentReader(args);
        while (reader.Next(out var arg))
        {
            if (arg is "-h" or "--help")
            {
                problem = null;
                return true;
            }

            ReadArgument(reader, arg);
            if (reader.Error is not null)
            {
                problem = reader.Error;
                return false;
            }
        }

        if (reader.Input is null || reader.Spec is null)
        {
            problem = reader.Input is null ? "missing the OpenAPI document" : "missing --spec FILE";
            return false;
        }

        problem = null;
        arguments = new Arguments(
            reader.Input, reader.Spec, reader.Output, reader.DryRun, new ImportOptions(reader.Tags, reader.Prefixes, reader.Group, reader.Api));
        return true;
    }

    /// <summary>Reads one option (with its value) or the input document; a problem goes to <see cref="ArgumentReader.Error"/>.</summary>
    private static void ReadArgument(ArgumentReader reader, string arg)
    {
        switch (arg)
        {
            case "--spec":
                reader.Spec = reader.Value();
                break;
            case "--out":
                reader.Output = reader.Value();
                break;
            case "--tag":
                if (reader.Value() is { } tag)
                {
                    reader.Tags.Add(tag);
                }

                break;
            case "--path-prefix":
                if (reader.Value() is { } prefix)
                {
                    reader.Prefixes.Add(prefix);
                }

                break;
            case "--group":
                reader.Group = reader.Value();
                if (reader.Group is { } group && Naming.Kebab(group) != group)
                {
                    reader.Error = $"--group must be kebab-case, e.g. {Naming.Kebab(group)}";
                }

                break;
            case "--api":
                reader.Api = reader.Value();
                if (reader.Api is not null and not (Apis.Cloud or Apis.DataCenter))
                {
                    reader.Error = $"--api must be {Apis.Cloud} or {Apis.DataCenter}";
                }

                break;
            case "--dry-run":
                reader.DryRun = true;
                break;
            default:
                ReadPositional(reader, arg);
                break;
        }
    }

    /// <summary>The one positional argument, the OpenAPI document; anything else starting with '-' is an unknown option.</summary>
    private static void ReadPositional(ArgumentReader reader, string arg)
    {
        if (arg.StartsWith('-') && arg != "-")
        {
            reader.Error = $"unknown option {arg}";
        }
        else if (reader.Input is null)
        {
            reader.Input = arg;
        }
        else
        {
            reader.Error = $"unexpected argument {arg}";
        }
    }

    /// <summary>Walks the command line and collects what it says; <see cref="Error"/> is the first problem found.</summary>
    private sealed class ArgumentReader(string[] args)
    {
        private int index = -1;

        public string? Error { get; set; }

        public string? Input { get; set; }

        public string? Spec { get; set; }

        public string? Output { get; set; }

        public string? Group { get; set; }

        public string? Api { get; set; }

        public bool DryRun { get; set; }

        public List<string> Tags { get; } = [];

        public List<string> Prefixes { get; } = [];

        /// <summary>Moves to the next argument; false after the last.</summary>
        public bool Next(out string arg)
        {
            index++;
            arg = index < args.Length ? args[index] : "";
            return index < args.Length;
        }

        /// <summary>The value after the current option; null (and <see cref="Error"/> set) when there is none.</summary>
        public string? Value()
        {
            if (index + 1 < args.Length)
            {
                return args[++index];
            }

            Error = $"{args[index]} needs a value";
            return null;
        }
    }
}
