using System.Text;
using Bitbucket.Cli.Core;
using Cocona.Command;
using Cocona.ShellCompletion;
using Cocona.ShellCompletion.Candidate;
using Cocona.ShellCompletion.Generators;

namespace Bitbucket.Cli;

/// <summary>
/// Cocona's completion code provider, with an unsupported shell reported in bb's error style (one line,
/// exit 2) and the script always ending in a newline.
/// </summary>
internal sealed class BbCompletionCodeProvider(CoconaShellCompletionCodeProvider inner) : ICoconaShellCompletionCodeProvider
{
    public IEnumerable<string> SupportedTargets => inner.SupportedTargets;

    /// <summary>Always: <see cref="Generate"/> reports an unknown shell itself.</summary>
    public bool CanHandle(string target) => true;

    public void Generate(string target, TextWriter writer, CommandCollection commandCollection)
    {
        if (!inner.CanHandle(target))
        {
            throw new UsageException($"no shell completion for '{target}' (supported: {string.Join(", ", inner.SupportedTargets)})");
        }

        var script = new StringWriter { NewLine = "\n" };
        inner.Generate(target, script, Offering(commandCollection));
        var text = script.ToString();
        writer.Write(text.EndsWith('\n') ? text : text + "\n");
    }

    /// <summary>
    /// The command tree with each command's options cut to those its help lists (<see cref="BbHelpProvider.Offered"/>):
    /// a copy for writing the script, so no shell offers a flag the command refuses. The tree that parses stays whole.
    /// </summary>
    internal static CommandCollection Offering(CommandCollection commands) =>
        new(commands.All.Select(c => new CommandDescriptor(
            c.Method,
            c.Target,
            c.Name,
            c.Aliases,
            c.Description,
            c.Metadata,
            c.Parameters,
            c.SubCommands is null ? BbHelpProvider.Offered(c).ToArray() : c.Options,
            c.Arguments,
            c.Overloads,
            c.OptionLikeCommands,
            c.Flags,
            c.SubCommands is { } children ? Offering(children) : null)).ToArray());

    public void GenerateOnTheFlyCandidates(string target, TextWriter writer, IReadOnlyList<CompletionCandidateValue> values)
    {
        if (inner.CanHandle(target))
        {
            inner.GenerateOnTheFlyCandidates(target, writer, values);
        }
    }
}

/// <summary>The command tree as the fish and PowerShell scripts need it: words to commands, and each command's flags.</summary>
internal static class CompletionTree
{
    public sealed record Node(string Path, IReadOnlyList<(string Name, string Description)> Commands, IReadOnlyList<Flag> Flags);

    public sealed record Flag(string Long, char? Short, string Description, bool TakesValue, bool Hosts);

    public static List<Node> Build(CommandCollection root)
    {
        var nodes = new List<Node>();
        Walk(root, "", nodes);
        return nodes;
    }

    /// <summary>Every flag that takes a value (its value is not a command word).</summary>
    public static IEnumerable<string> ValueFlags(IEnumerable<Node> nodes) =>
        nodes.SelectMany(n => n.Flags).Where(f => f.TakesValue)
            .SelectMany(f => f.Short is { } s ? new[] { "--" + f.Long, "-" + s } : new[] { "--" + f.Long })
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static void Walk(CommandCollection commands, string path, List<Node> nodes)
    {
        var visible = commands.All.Where(c => !c.IsHidden && !c.IsPrimaryCommand).ToList();
        var rootFlags = new List<Flag>();
        if (path.Length == 0)
        {
            rootFlags.Add(new Flag("completion", null, "Print shell completion code", true, false));
            rootFlags.Add(new Flag("version", null, "Show bb's version", false, false));
        }

        rootFlags.Add(new Flag("help", 'h', "Show help", false, false));
        nodes.Add(new Node(path, visible.Select(c => (c.Name, c.Description)).ToList(), rootFlags));
        foreach (var command in visible)
        {
            var sub = path.Length == 0 ? command.Name : path + " " + command.Name;
            if (command.SubCommands is { } children)
            {
                Walk(children, sub, nodes);
                continue;
            }

            var flags = command.Options.Where(o => !o.IsHidden)
                .Select(o => new Flag(o.Name, o.ShortName.Count > 0 ? o.ShortName[0] : null, o.Description, o.UnwrappedOptionType != typeof(bool), o.Name == "host"))
                .Append(new Flag("help", 'h', "Show help", false, false))
                .ToList();
            nodes.Add(new Node(sub, [], flags));
        }
    }
}

/// <summary><c>bb --completion fish</c>: groups, commands, flags, and stored host names for <c>--host</c>.</summary>
internal sealed class FishCompletionGenerator : ICoconaShellCompletionCodeGenerator
{
    public IReadOnlyList<string> Targets { get; } = ["fish"];

    public void Generate(TextWriter writer, CommandCollection commandCollection)
    {
        var nodes = CompletionTree.Build(commandCollection);
        var script = new StringBuilder();
        script.Append("# fish completion for bb: bb --completion fish > ~/.config/fish/completions/bb.fish\n");
        script.Append("function __bb_words\n    set -l words (commandline -opc)\n    set -e words[1]\n    set -l out\n    set -l skip 0\n    for w in $words\n");
        script.Append("        if test $skip = 1\n            set skip 0\n            continue\n        end\n        switch $w\n");
        script.Append("            case ").Append(string.Join(' ', CompletionTree.ValueFlags(nodes).Select(Quote))).Append("\n                set skip 1\n");
        script.Append("            case '-*'\n            case '*'\n                set -a out $w\n        end\n    end\n    string join ' ' -- $out\nend\n");
        script.Append("function __bb_at\n    set -l w (__bb_words)\n    test \"$w\" = \"$argv\"\nend\n");
        script.Append("function __bb_hosts\n    bb --completion-candidates fish:host -- (string split -n ' ' -- (__bb_words)) 2>/dev/null\nend\n");
        script.Append("complete -c bb -f\n");
        foreach (var node in nodes)
        {
            var at = $"-n {Quote("__bb_at " + node.Path)}";
            foreach (var (name, description) in node.Commands)
            {
                script.Append($"complete -c bb {at} -a {Quote(name)} -d {Quote(description)}\n");
            }

            foreach (var flag in node.Flags)
            {
                script.Append($"complete -c bb {at} -l {Quote(flag.Long)}");
                if (flag.Short is { } s)
                {
                    script.Append($" -s {Quote(s.ToString())}");
                }

                if (flag.Hosts)
                {
                    script.Append(" -x -a '(__bb_hosts)'");
                }
                else if (flag.TakesValue)
                {
                    script.Append(" -r");
                }

                script.Append($" -d {Quote(flag.Description)}\n");
            }
        }

        writer.Write(script.ToString());
    }

    public void GenerateOnTheFlyCandidates(TextWriter writer, IReadOnlyList<CompletionCandidateValue> values)
    {
        foreach (var value in values)
        {
            writer.Write(value.Value + "\n");
        }
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}

/// <summary><c>bb --completion powershell</c>: a Register-ArgumentCompleter script for pwsh.</summary>
internal sealed class PowerShellCompletionGenerator : ICoconaShellCompletionCodeGenerator
{
    public IReadOnlyList<string> Targets { get; } = ["powershell", "pwsh"];

    public void Generate(TextWriter writer, CommandCollection commandCollection)
    {
        var nodes = CompletionTree.Build(commandCollection);
        var script = new StringBuilder();
        script.Append("# PowerShell completion for bb: bb --completion powershell >> $PROFILE\n");
        script.Append("$__bbValueFlags = @(").Append(string.Join(", ", CompletionTree.ValueFlags(nodes).Select(Quote))).Append(")\n");
        script.Append("$__bbTree = @{\n");
        foreach (var node in nodes)
        {
            var items = node.Commands.Select(c => $"@({Quote(c.Name)}, {Quote(c.Description)})")
                .Concat(node.Flags.Select(f => $"@({Quote("--" + f.Long)}, {Quote(f.Description)})"));
            script.Append($"    {Quote(node.Path)} = @({string.Join(", ", items)})\n");
        }

        script.Append("}\n");
        script.Append("""
            Register-ArgumentCompleter -Native -CommandName bb -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
                if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
                $path = @(); $skip = $false; $previous = ''
                foreach ($w in $words) {
                    if ($skip) { $skip = $false; $previous = $w; continue }
                    if ($__bbValueFlags -contains $w) { $skip = $true }
                    elseif (-not $w.StartsWith('-')) { $path += $w }
                    $previous = $w
                }
                if ($skip -and $previous -eq '--host') {
                    & bb --completion-candidates powershell:host -- @path 2>$null | Where-Object { $_ -like "$wordToComplete*" } |
                        ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
                    return
                }
                $key = $path -join ' '
                if (-not $__bbTree.ContainsKey($key)) { return }
                foreach ($item in $__bbTree[$key]) {
                    if ($item[0] -like "$wordToComplete*") {
                        $kind = if ($item[0].StartsWith('-')) { 'ParameterName' } else { 'Command' }
                        [System.Management.Automation.CompletionResult]::new($item[0], $item[0], $kind, $(if ($item[1]) { $item[1] } else { $item[0] }))
                    }
                }
            }

            """);
        writer.Write(script.ToString().ReplaceLineEndings("\n"));
    }

    public void GenerateOnTheFlyCandidates(TextWriter writer, IReadOnlyList<CompletionCandidateValue> values)
    {
        foreach (var value in values)
        {
            writer.Write(value.Value + "\n");
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
