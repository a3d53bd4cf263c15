using System.Reflection;
using Cocona.Builder;
using Cocona.Builder.Metadata;

namespace Bitbucket.Cli;

/// <summary>
/// Start-up cost control (docs/benchmarks.md): Cocona reflects over every method, parameter and attribute
/// of every registered command class on each start, before it even looks at the arguments. With ~120
/// generated commands that was about 70% of <c>bb --version</c> in the native binary. A run only ever
/// dispatches into one group, so the other groups keep their name and description (root help, "similar
/// command" hints) but lose their children, which Cocona then never reflects over.
/// </summary>
internal static class CommandGroupScope
{
    /// <summary>
    /// Wraps <paramref name="app"/> so that sub-command groups added through the wrapper keep their
    /// commands only if they are <paramref name="group"/>, the group the command line names
    /// (<see cref="StartupHost.CommandWords"/>, the one rule for it). Shell completion
    /// (<c>--completion…</c>) needs the whole tree and gets it.
    /// </summary>
    /// <param name="extras">Hand-written commands added to a generated group (<c>bb prs view</c>), by group name; filled before the app starts.</param>
    /// <param name="focus">The method of the command the run dispatches to (see <see cref="CanFocus"/>); that group then holds only it.</param>
    public static ICoconaCommandsBuilder For(ICoconaCommandsBuilder app, IReadOnlyList<string> args, string? group, IReadOnlyDictionary<string, Action<ICoconaCommandsBuilder>>? extras = null, MethodInfo? focus = null)
        => AsksForCompletion(args) ? new ScopedBuilder(app, null, extras, null, scoped: false) : new ScopedBuilder(app, group, extras, focus, scoped: true);

    /// <summary>The command line asks for shell completion (<c>--completion…</c>), which needs the whole command tree.</summary>
    public static bool AsksForCompletion(IReadOnlyList<string> args)
        => args.Any(arg => arg.StartsWith("--completion", StringComparison.Ordinal));

    /// <summary>The command line asks for help (<c>--help</c>, <c>-h</c>; <c>bb help …</c> has become <c>--help</c> by then).</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args) => args.Any(arg => arg is "--help" or "-h");

    /// <summary>
    /// Whether a run can build Cocona's model of its one command alone: the command line starts with the group
    /// and the command, as Cocona reads them (no flag between them), and asks for no help, whose listings
    /// and hints need the whole group.
    /// </summary>
    public static bool CanFocus(IReadOnlyList<string> args, string? command)
        => command is not null && args.Count >= 2 && !args[0].StartsWith('-') && args[1] == command
            && !AsksForHelp(args) && !AsksForCompletion(args);

    /// <summary>
    /// Whether this run goes into a command group (<paramref name="knownGroup"/>: the group the command line
    /// names, null if it names none), so that nothing at the root but the group itself can be dispatched,
    /// listed or suggested. Shell completion needs the whole tree.
    /// </summary>
    public static bool DispatchesIntoGroup(IReadOnlyList<string> args, string? knownGroup)
        => knownGroup is not null && !AsksForCompletion(args);

    private sealed class ScopedBuilder(ICoconaCommandsBuilder inner, string? group, IReadOnlyDictionary<string, Action<ICoconaCommandsBuilder>>? extras, MethodInfo? focus, bool scoped) : ICoconaCommandsBuilder
    {
        public IDictionary<string, object?> Properties => inner.Properties;

        public ICoconaCommandsBuilder Add(ICommandDataSource commandDataSource)
        {
            inner.Add(new ScopedSource(commandDataSource, group, extras, focus, scoped, inner));
            return this;
        }

        public ICoconaCommandsBuilder New() => inner.New();

        public IReadOnlyList<ICommandData> Build() => inner.Build();
    }

    /// <summary>Built when the app starts, after WithName/WithDescription have been applied.</summary>
    private sealed class ScopedSource(ICommandDataSource inner, string? group, IReadOnlyDictionary<string, Action<ICoconaCommandsBuilder>>? extras, MethodInfo? focus, bool scoped, ICoconaCommandsBuilder app) : ICommandDataSource
    {
        public ICommandData Build()
        {
            var data = inner.Build();
            if (data is not SubCommandData sub)
            {
                return data;
            }

            var name = sub.Metadata.OfType<CommandNameMetadata>().LastOrDefault()?.Name;
            if (scoped && !(name is not null && string.Equals(name, group, StringComparison.OrdinalIgnoreCase)))
            {
                return new SubCommandData(Array.Empty<ICommandData>(), sub.Metadata);
            }

            // The command's class is one of the group's: the group holds that command alone, as the entry Cocona
            // itself makes for the method from its class (the class's metadata, then the method's attributes), so
            // Cocona reflects over this command's parameters only, not every command's of the group.
            if (focus is not null && sub.Children.OfType<TypeCommandData>().FirstOrDefault(c => c.Type == focus.DeclaringType) is { } owner)
            {
                var command = new TypeMethodCommandData(focus, null, isImplicitCommand: false, [.. owner.Metadata, .. focus.GetCustomAttributes(inherit: true)]);
                return new SubCommandData([command], sub.Metadata);
            }

            if (name is null || extras is null || !extras.TryGetValue(name, out var add))
            {
                return data;
            }

            var more = app.New();
            add(more);
            return new SubCommandData([.. sub.Children, .. more.Build()], sub.Metadata);
        }
    }
}

/// <summary>
/// Singular names for plural command groups (<c>bb pr list</c> for <c>bb prs list</c>, as gh users type
/// first). The rule is on the name, so any plural group registered the usual Cocona way gets its alias.
/// </summary>
internal static class GroupAliases
{
    /// <summary>The singular of a plural group name, or null if the name is not plural.</summary>
    public static string? Singular(string name)
    {
        if (name.Length < 3 || !name.EndsWith('s') || name.EndsWith("ss", StringComparison.Ordinal))
        {
            return null;
        }

        if (name.EndsWith("ies", StringComparison.Ordinal))
        {
            return name[..^3] + "y";
        }

        foreach (var ending in (ReadOnlySpan<string>)["sses", "shes", "ches", "xes", "uses"])
        {
            if (name.EndsWith(ending, StringComparison.Ordinal))
            {
                return name[..^2];
            }
        }

        return name[..^1];
    }

    /// <summary>
    /// The group <paramref name="word"/> names: itself if it is one of <paramref name="groups"/>, else the group
    /// whose singular it is, else itself (Cocona then reports an unknown command).
    /// </summary>
    public static string? Canonical(string? word, IReadOnlyCollection<string> groups)
    {
        if (word is null || groups.Contains(word, StringComparer.OrdinalIgnoreCase))
        {
            return word;
        }

        return groups.FirstOrDefault(g => string.Equals(Singular(g), word, StringComparison.OrdinalIgnoreCase)) ?? word;
    }

    /// <summary>
    /// Adds an alias entry after every plural group in <paramref name="commands"/> whose singular is not taken
    /// (by a command here or by a name in <paramref name="reserved"/>). Only the entry the command line
    /// <paramref name="typed"/> keeps the group's commands (Cocona reflects over them once); with
    /// <paramref name="all"/> (shell completion) both do.
    /// </summary>
    public static IReadOnlyList<ICommandData> Add(IReadOnlyList<ICommandData> commands, string? typed, IReadOnlyCollection<string> reserved, bool all)
    {
        var names = commands.OfType<SubCommandData>().Select(NameOf).OfType<string>()
            .Concat(reserved).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = new List<ICommandData>(commands.Count * 2);
        foreach (var data in commands)
        {
            if (data is not SubCommandData sub || NameOf(sub) is not { } name || Singular(name) is not { } alias || names.Contains(alias))
            {
                result.Add(data);
                continue;
            }

            var typedAlias = string.Equals(typed, alias, StringComparison.OrdinalIgnoreCase);
            result.Add(typedAlias && !all ? new SubCommandData(Array.Empty<ICommandData>(), sub.Metadata) : sub);
            var metadata = sub.Metadata.Where(m => m is not CommandNameMetadata).Append(new CommandNameMetadata(alias)).ToArray();
            result.Add(new SubCommandData(typedAlias || all ? sub.Children : Array.Empty<ICommandData>(), metadata));
        }

        return result;
    }

    private static string? NameOf(SubCommandData sub) => sub.Metadata.OfType<CommandNameMetadata>().LastOrDefault()?.Name;
}
