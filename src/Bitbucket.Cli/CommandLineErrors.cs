using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Terminal;
using Cocona;
using Cocona.Command;
using Cocona.Command.Binder;
using Cocona.Command.Dispatcher;
using Cocona.CommandLine;

namespace Bitbucket.Cli;

/// <summary>
/// The parser's mistakes in bb's one error style: one stderr line starting <c>bb: </c>, exit code 2,
/// a suggestion when one is close, and never a .NET type name.
/// </summary>
internal static class CommandLineErrors
{
    /// <summary><c>unknown flag --pagniate; did you mean --paginate?</c></summary>
    public static UsageException UnknownOption(string name, CommandDescriptor command)
    {
        var written = Flag(name);
        var known = BbHelpProvider.Offered(command).Select(o => o.Name)
            .Concat(command.OptionLikeCommands.Where(o => !o.Flags.HasFlag(CommandOptionFlags.Hidden)).Select(o => o.Name));
        var close = Suggestions.Closest(name, known, 1);
        return new UsageException(close.Count > 0
            ? $"unknown flag {written}; did you mean {Flag(close[0])}?"
            : $"unknown flag {written} (see --help)");
    }

    /// <summary><c>unknown command 'lst' for 'bb prs'; did you mean 'list'?</c> (at most three close matches).</summary>
    public static UsageException UnknownCommand(string word, string parent, CommandCollection commands)
    {
        if (string.IsNullOrEmpty(word))
        {
            return new UsageException($"'{parent}' needs a command (see '{parent} --help')");
        }

        var close = Suggestions.Closest(word, commands.All.Where(c => !c.IsHidden).Select(c => c.Name), 3);
        var hint = close.Count switch
        {
            0 => $" (see '{parent} --help')",
            1 => $"; did you mean '{close[0]}'?",
            _ => $"; did you mean {string.Join(", ", close.Take(close.Count - 1).Select(c => $"'{c}'"))} or '{close[^1]}'?",
        };
        return new UsageException($"unknown command '{word}' for '{parent}'{hint}");
    }

    /// <summary>Cocona's binding failures, phrased for people: what was wrong and what was expected.</summary>
    public static UsageException Binding(ParameterBinderException error, ParsedCommandLine? line)
    {
        switch (error.Result)
        {
            case ParameterBinderResult.InsufficientArgument when error.Argument is { } argument:
                return new UsageException($"missing argument '{argument.Name}' (see --help)");
            case ParameterBinderResult.InsufficientOption when error.Option is { } option:
                return new UsageException($"missing flag {Flag(option.Name)} (see --help)");
            case ParameterBinderResult.InsufficientOptionValue when error.Option is { } option:
                return new UsageException($"flag {Flag(option.Name)} needs a value{ValueHint(option.OptionType)}");
        }

        if (error.Option is { } badOption)
        {
            var given = line?.Options.Where(o => ReferenceEquals(o.Option, badOption)).Select(o => o.Value).LastOrDefault();
            return new UsageException($"invalid value{Quoted(given)} for {Flag(badOption.Name)}{ValueHint(badOption.OptionType)}");
        }

        if (error.Argument is { } badArgument)
        {
            var given = line is { } l && badArgument.Order < l.Arguments.Count ? l.Arguments[badArgument.Order].Value : null;
            return new UsageException($"invalid value{Quoted(given)} for '{badArgument.Name}'{ValueHint(badArgument.ArgumentType)}");
        }

        return new UsageException("invalid command line (see --help)");
    }

    internal static string Flag(string name) => name.Length == 1 ? "-" + name : "--" + name;

    private static string Quoted(string? value) => value is null ? "" : $" '{value}'";

    /// <summary>What a value of <paramref name="type"/> looks like, in words (no .NET names).</summary>
    internal static string ValueHint(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsArray && t.GetElementType() is { } element)
        {
            t = Nullable.GetUnderlyingType(element) ?? element;
        }

        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(uint) || t == typeof(ulong))
        {
            return ": expected a whole number";
        }

        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal))
        {
            return ": expected a number";
        }

        if (t == typeof(bool))
        {
            return ": expected true or false";
        }

        return "";
    }
}

/// <summary>Close matches for a mistyped name (edit distance, and prefixes).</summary>
internal static class Suggestions
{
    /// <summary>Up to <paramref name="max"/> candidates within two edits of <paramref name="word"/> (or starting with it), closest first.</summary>
    public static IReadOnlyList<string> Closest(string word, IEnumerable<string> candidates, int max)
    {
        var lower = word.ToLowerInvariant();
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(lower, c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Min(2, Math.Max(1, lower.Length / 2))
                || (lower.Length >= 2 && c.Name.StartsWith(lower, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

/// <summary>
/// Replaces Cocona's exception, unknown-option and binding middlewares: every failure that escapes a
/// command, and every flag the command does not have, becomes one <c>bb: …</c> line and its exit code.
/// </summary>
internal sealed class BbErrorMiddleware(CommandDispatchDelegate next, ConsoleIO io) : CommandDispatcherMiddleware(next)
{
    public override async ValueTask<int> DispatchAsync(CommandDispatchContext ctx)
    {
        try
        {
            if (ctx.ParsedCommandLine.UnknownOptions.Count > 0 && !ctx.Command.Flags.HasFlag(CommandFlags.IgnoreUnknownOptions))
            {
                throw CommandLineErrors.UnknownOption(ctx.ParsedCommandLine.UnknownOptions[0], ctx.Command);
            }

            return await Next(ctx).ConfigureAwait(false);
        }
        catch (CommandExitedException exited)
        {
            if (!string.IsNullOrWhiteSpace(exited.ExitMessage))
            {
                (exited.ExitCode == 0 ? io.Out : io.Error).WriteLine(exited.ExitMessage);
            }

            return exited.ExitCode;
        }
        catch (ParameterBinderException binder)
        {
            return FailureReporter.Report(CommandLineErrors.Binding(binder, ctx.ParsedCommandLine), io);
        }
        catch (Exception e)
        {
            return FailureReporter.Report(e, io);
        }
    }
}
