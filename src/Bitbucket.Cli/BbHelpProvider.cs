using System.Reflection;
using System.Text;
using Bitbucket.Cli.Core.Commands;
using Cocona.Command;
using Cocona.Help;
using Cocona.Help.DocumentModel;

namespace Bitbucket.Cli;

/// <summary>
/// Help in gh's layout: the description first, the host it applies to, then USAGE, ALIASES, ARGUMENTS (by
/// name), COMMANDS (root: core first), FLAGS, COMMON FLAGS, EXAMPLES and LEARN MORE. A command lists only
/// the options that apply to it (no paging flags on an endpoint that returns no list). Headings are bold
/// only when <see cref="Settings.Bold"/> (stdout is a terminal and NO_COLOR is unset).
/// </summary>
internal sealed class BbHelpProvider(ICoconaCommandHelpProvider inner, BbHelpProvider.Settings settings) : ICoconaCommandHelpProvider
{
    /// <param name="HostLine"><c>Host: work (Bitbucket Data Center)</c>: the flavour decides which commands exist.</param>
    /// <param name="Bold">Whether headings are bold (ANSI).</param>
    public sealed record Settings(string HostLine, bool Bold);

    private const string RootDescription = "Work with Bitbucket from the command line; requests are signed with OAuth 1.0a.";

    /// <summary>The core groups, listed first in root help in this order; every other command follows as registered.</summary>
    internal static readonly string[] Core = ["auth", "api", "repos", "prs", "branches", "issues", "commits", "pipelines", "browse"];

    public HelpMessage CreateVersionHelp() => inner.CreateVersionHelp();

    public HelpMessage CreateCommandsIndexHelp(CommandCollection commandCollection, IReadOnlyList<CommandDescriptor> subCommandStack)
    {
        var help = new HelpMessage();
        var visible = commandCollection.All.Where(c => !c.IsHidden && !c.IsPrimaryCommand && !IsAlias(c, commandCollection)).ToList();
        if (subCommandStack.Count == 0)
        {
            help.Children.Add(Paragraph(RootDescription));
            help.Children.Add(Paragraph(settings.HostLine));
            help.Children.Add(Section("USAGE", Paragraph("bb <command> <subcommand> [flags]")));
            var core = Core.Select(name => visible.FirstOrDefault(c => c.Name == name)).OfType<CommandDescriptor>().ToList();
            help.Children.Add(Section("CORE COMMANDS", Commands(core, commandCollection)));
            if (visible.Except(core).ToList() is { Count: > 0 } rest)
            {
                help.Children.Add(Section("ADDITIONAL COMMANDS", Commands(rest, commandCollection)));
            }

            help.Children.Add(Section("FLAGS", List(
                ("--completion SHELL", "Print shell completion code: bash, zsh, fish or powershell"),
                ("-h, --help", "Show help for a command (also: bb help <command> <subcommand>)"),
                ("--version", "Show bb's version"))));
            help.Children.Add(Section("EXAMPLES", Preformatted(
                "$ bb auth login --consumer-key KEY\n$ bb repos list myteam\n$ bb pr list myteam api --limit 5\n$ bb api /2.0/user")));
            help.Children.Add(Section("LEARN MORE", Preformatted(
                "Use 'bb <command> <subcommand> --help' for more about a command.\nSingular names work too: 'bb pr list' is 'bb prs list'.\nExit codes, environment variables and shell completion: README.md; the rest: docs/.")));
            return help;
        }

        var group = subCommandStack[^1];
        var path = "bb " + string.Join(' ', subCommandStack.Select(c => c.Name));
        help.Children.Add(Paragraph(group.Description.Length > 0 ? group.Description : path));
        help.Children.Add(Paragraph(settings.HostLine));
        help.Children.Add(Section("USAGE", Paragraph($"{path} <command> [flags]")));
        if (Aliases(subCommandStack) is { Count: > 0 } aliases)
        {
            help.Children.Add(Section("ALIASES", Paragraph(string.Join(", ", aliases.Select(a => "bb " + a)))));
        }

        help.Children.Add(Section("COMMANDS", Commands(visible, commandCollection)));
        help.Children.Add(Section("FLAGS", List(("-h, --help", "Show help for a command"))));
        var examples = EndpointCatalog.InGroup(CanonicalGroup(group.Name))
            .Select(e => e.Example).OfType<string>().Where(e => e.Length > 0).Take(3).ToList();
        if (examples.Count > 0)
        {
            help.Children.Add(Section("EXAMPLES", Preformatted(string.Join('\n', examples.Select(e => "$ " + e)))));
        }

        help.Children.Add(Section("LEARN MORE", Preformatted($"Use '{path} <command> --help' for more about a command.")));
        return help;
    }

    public HelpMessage CreateCommandHelp(CommandDescriptor command, IReadOnlyList<CommandDescriptor> subCommandStack)
    {
        var path = "bb " + string.Join(' ', subCommandStack.Select(c => c.Name).Append(command.Name));
        var endpoint = EndpointOf(command);
        var help = new HelpMessage();
        if (endpoint is null)
        {
            help.Children.Add(Paragraph(command.Description.Length > 0 ? command.Description : path));
        }
        else
        {
            var about = new StringBuilder();
            if (endpoint.Deprecated)
            {
                about.Append("Deprecated: Bitbucket may remove this endpoint. ");
            }

            about.Append(endpoint.Summary);
            if (endpoint.Description.Length > 0)
            {
                about.Append("\n\n").Append(endpoint.Description);
            }

            help.Children.Add(new HelpSection(HelpSectionId.Description, new HelpPreformattedText(about.ToString())));
            help.Children.Add(Paragraph($"{endpoint.Method} {endpoint.PathTemplate}"));
        }

        help.Children.Add(Paragraph(settings.HostLine));

        var options = Offered(command).ToList();
        var common = options.Where(IsCommon).ToList();
        var own = options.Except(common).ToList();
        var usage = new StringBuilder(path);
        foreach (var argument in command.Arguments)
        {
            var name = argument.IsEnumerableLike ? $"<{argument.Name}>..." : $"<{argument.Name}>";
            usage.Append(' ').Append(argument.IsRequired ? name : $"[{name}]");
        }

        usage.Append(" [flags]");
        help.Children.Add(Section("USAGE", Paragraph(usage.ToString())));
        if (command.Arguments.Count > 0)
        {
            help.Children.Add(Section("ARGUMENTS", List(command.Arguments
                .Select(a => (a.Name, a.IsRequired && !a.Description.Contains("(default: from", StringComparison.Ordinal)
                    ? $"{a.Description} (required)".TrimStart()
                    : a.Description)).ToArray())));
        }

        if (own.Count > 0)
        {
            help.Children.Add(Section("FLAGS", Options(own)));
        }

        if (endpoint is { BodyKind: not BodyKind.None })
        {
            var kind = endpoint.BodyKind == BodyKind.Form ? "form-encoded" : "JSON";
            help.Children.Add(Section($"REQUEST BODY ({kind}; -f key=value, -F key=value, or --input FILE)", List(endpoint.BodyFields
                .Select(f => ($"{f.Name} ({f.Type})", f.Required ? $"{f.Description} (required)" : f.Description)).ToArray())));
        }

        var commonItems = Options(common).Items.Append(new HelpLabelDescriptionListItem("-h, --help", "Show help for this command")).ToArray();
        help.Children.Add(Section(own.Count > 0 || endpoint is not null ? "COMMON FLAGS" : "FLAGS", new HelpLabelDescriptionList(commonItems)));
        if (endpoint is { Paginated: true })
        {
            help.Children.Add(Section("PAGES", Preformatted(
                "Prints the first page as returned; --paginate streams every page's values as one JSON array,\n--limit N stops after N items, --jsonl prints one value per line, --format table shows columns.")));
        }

        if (endpoint?.Example is { Length: > 0 } example)
        {
            help.Children.Add(Section("EXAMPLES", Preformatted("$ " + example)));
        }

        var group = subCommandStack.Count > 0 ? "bb help " + subCommandStack[0].Name : "bb help";
        help.Children.Add(Section("LEARN MORE", Preformatted($"Use '{group}' for the other commands here.\nExit codes, environment variables and shell completion: README.md.")));
        return help;
    }

    /// <summary>Whether <paramref name="command"/> is the singular alias of another group in <paramref name="commands"/> (<see cref="GroupAliases"/>).</summary>
    internal static bool IsAlias(CommandDescriptor command, CommandCollection commands) =>
        command.Flags.HasFlag(CommandFlags.SubCommandsEntryPoint)
        && commands.All.Any(other => other != command
            && other.Flags.HasFlag(CommandFlags.SubCommandsEntryPoint)
            && GroupAliases.Singular(other.Name) == command.Name
            && other.Description == command.Description);

    private static bool IsCommon(CommandOptionDescriptor option) =>
        BbOptionNames.Common.Contains(option.Name) || BbOptionNames.Reserved.Contains(option.Name);

    private static bool Applies(CommandOptionDescriptor option, EndpointInfo? endpoint) =>
        endpoint is null || CommonOptionScope.Applies(option.Name, endpoint);

    /// <summary>The options help lists for <paramref name="command"/>, and shell completion offers.</summary>
    internal static IEnumerable<CommandOptionDescriptor> Offered(CommandDescriptor command)
    {
        var endpoint = EndpointOf(command);
        return command.Options.Where(o => !o.IsHidden && Applies(o, endpoint));
    }

    /// <summary>The generated endpoint a command runs, or null for bb's own commands.</summary>
    private static EndpointInfo? EndpointOf(CommandDescriptor command) =>
        command.Method.GetCustomAttribute<EndpointHelpAttribute>() is { } endpointHelp ? EndpointCatalog.Find(endpointHelp.Group, endpointHelp.Name) : null;

    /// <summary>The other name(s) a group answers to: its singular, or the plural it stands for.</summary>
    private static List<string> Aliases(IReadOnlyList<CommandDescriptor> stack)
    {
        var name = stack[^1].Name;
        if (stack.Count != 1)
        {
            return [];
        }

        var canonical = CanonicalGroup(name);
        if (canonical != name)
        {
            return [canonical];
        }

        return GroupAliases.Singular(name) is { } singular && !EndpointCatalog.Groups.Contains(singular) && singular != "auth" ? [singular] : [];
    }

    private static string CanonicalGroup(string name) => GroupAliases.Canonical(name, EndpointCatalog.Groups) ?? name;

    private static HelpLabelDescriptionList Commands(IEnumerable<CommandDescriptor> commands, CommandCollection all) =>
        new(commands.Select(c =>
        {
            var alias = GroupAliases.Singular(c.Name) is { } singular && all.All.Any(a => a.Name == singular && IsAlias(a, all)) ? ", " + singular : "";
            return new HelpLabelDescriptionListItem(c.Name + alias, c.Description);
        }).ToArray());

    private static HelpLabelDescriptionList Options(IEnumerable<CommandOptionDescriptor> options) =>
        new(options.Select(o =>
        {
            var label = new StringBuilder(o.ShortName.Count > 0 ? $"-{o.ShortName[0]}, " : "    ").Append("--").Append(o.Name);
            if (o.UnwrappedOptionType != typeof(bool))
            {
                label.Append(' ').Append(o.ValueName.Trim('<', '>'));
            }

            var description = o.Description;
            if (o.IsRequired && o.UnwrappedOptionType != typeof(bool))
            {
                description += " (required)";
            }
            else if (o.DefaultValue.HasValue && o.DefaultValue.Value is { } value && value is not false && value.ToString() is { Length: > 0 } text
                && !description.Contains("default", StringComparison.OrdinalIgnoreCase))
            {
                description += $" (default: {text})";
            }

            return new HelpLabelDescriptionListItem(label.ToString(), description);
        }).ToArray());

    private static HelpLabelDescriptionList List(params (string Label, string Description)[] items) =>
        new(items.Select(i => new HelpLabelDescriptionListItem(i.Label, i.Description)).ToArray());

    private static HelpSection Paragraph(string text) => new(new HelpPreformattedText(text));

    private static HelpPreformattedText Preformatted(string text) => new(text);

    private HelpSection Section(string heading, ICoconaHelpFlowContent body) =>
        new(new HelpHeading(settings.Bold ? $"\u001b[1m{heading}\u001b[0m" : heading), body as HelpSection ?? new HelpSection(body));
}
