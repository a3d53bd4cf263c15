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
    public static ICoconaCommandsBuilder For(ICoconaCommandsBuilder app, IReadOnlyList<string> args, string? group, IReadOnlyDictionary<string, Action<ICoconaCommandsBuilder>>? extras = null)
        => args.Any(arg => arg.StartsWith("--completion", StringComparison.Ordinal)) ? new ScopedBuilder(app, null, extras, scoped: false) : new ScopedBuilder(app, group, extras, scoped: true);

    private sealed class ScopedBuilder(ICoconaCommandsBuilder inner, string? group, IReadOnlyDictionary<string, Action<ICoconaCommandsBuilder>>? extras, bool scoped) : ICoconaCommandsBuilder
    {
        public IDictionary<string, object?> Properties => inner.Properties;

        public ICoconaCommandsBuilder Add(ICommandDataSource commandDataSource)
        {
            inner.Add(new ScopedSource(commandDataSource, group, extras, scoped, inner));
            return this;
        }

        public ICoconaCommandsBuilder New() => inner.New();

        public IReadOnlyList<ICommandData> Build() => inner.Build();
    }

    /// <summary>Built when the app starts, after WithName/WithDescription have been applied.</summary>
    private sealed class ScopedSource(ICommandDataSource inner, string? group, IReadOnlyDictionary<string, Action<ICoconaCommandsBuilder>>? extras, bool scoped, ICoconaCommandsBuilder app) : ICommandDataSource
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
