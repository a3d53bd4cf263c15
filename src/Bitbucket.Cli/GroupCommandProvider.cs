using System.Reflection;
using Cocona;
using Cocona.Application;
using Cocona.Builder;
using Cocona.Builder.Metadata;
using Cocona.Command;

namespace Bitbucket.Cli;

/// <summary>
/// Cocona's command provider, except for how a command group's entry point is made. Cocona gives each group
/// the <see cref="MethodInfo"/> of a lambda (<c>Delegate.Method</c>), and in the native binary the first such
/// call builds a reverse map of every reflectable method: about 18% of a start (docs/benchmarks.md, "The
/// floor"). Here the entry point's method is found by name instead. The commands themselves, and every level
/// without groups, are still Cocona's own <see cref="CoconaCommandProvider"/>.
/// </summary>
internal sealed class GroupCommandProvider(IReadOnlyList<ICommandData> commands, CommandProviderOptions options, ICoconaServiceProviderIsService isService)
    : ICoconaCommandProvider
{
    private static readonly MethodInfo EntryPointMethod =
        typeof(GroupCommandProvider).GetMethod(nameof(GroupEntryPoint), BindingFlags.NonPublic | BindingFlags.Static)!;

    public CommandCollection GetCommandCollection() => Build(commands);

    private CommandCollection Build(IReadOnlyList<ICommandData> set)
    {
        var groups = set.OfType<SubCommandData>().ToArray();
        var methods = set.Where(data => data is not SubCommandData).ToArray();
        var own = new CoconaCommandProvider(methods, options, isService).GetCommandCollection();

        // Cocona treats a level with one command as a single (primary) command unless it has groups. Leave a
        // level with exactly one command and some groups, which bb does not have, to Cocona as it is.
        if (groups.Length == 0 || own.All.Count == 1)
        {
            return groups.Length == 0 ? own : new CoconaCommandProvider(set, options, isService).GetCommandCollection();
        }

        var all = new List<CommandDescriptor>(own.All);
        var names = new HashSet<string>(all.SelectMany(c => c.Aliases.Append(c.Name)), StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups)
        {
            var name = group.Metadata.OfType<CommandNameMetadata>().LastOrDefault()?.Name
                ?? throw new InvalidOperationException("Sub-command name must not be null.");
            if (!names.Add(name))
            {
                throw new CoconaException($"Command '{name}' already exists.");
            }

            var description = group.Metadata.OfType<CommandDescriptionMetadata>().LastOrDefault()?.Description ?? string.Empty;
            all.Add(new CommandDescriptor(
                EntryPointMethod,
                null,
                name,
                [],
                description,
                [],
                [],
                [],
                [],
                [],
                [],
                CommandFlags.SubCommandsEntryPoint,
                Build(group.Children)));
        }

        return new CommandCollection(all);
    }

    /// <summary>The method a group's entry point names; Cocona never calls it (a group dispatches to its commands).</summary>
    private static void GroupEntryPoint()
    {
    }
}
