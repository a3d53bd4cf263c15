using Cocona.Command;
using Cocona.Help;
using Cocona.Help.DocumentModel;

namespace Bitbucket.Cli;

/// <summary>
/// Cocona's help, with root, group and command help naming the host and its flavour
/// (<c>Host: work (Bitbucket Data Center)</c>), since the flavour decides which commands are listed.
/// </summary>
internal sealed class HostHelpProvider(ICoconaCommandHelpProvider inner, string hostLine) : ICoconaCommandHelpProvider
{
    /// <summary>A command's help names the host too: its arguments are that flavour's (project key or workspace).</summary>
    public HelpMessage CreateCommandHelp(CommandDescriptor command, IReadOnlyList<CommandDescriptor> subCommandStack)
        => WithHostLine(inner.CreateCommandHelp(command, subCommandStack));

    public HelpMessage CreateCommandsIndexHelp(CommandCollection commandCollection, IReadOnlyList<CommandDescriptor> subCommandStack)
        => WithHostLine(inner.CreateCommandsIndexHelp(commandCollection, subCommandStack));

    private HelpMessage WithHostLine(HelpMessage help)
    {
        var after = help.Children.FindLastIndex(c => c is HelpSection { Id: HelpSectionId.Usage or HelpSectionId.Description });
        help.Children.Insert(after + 1, new HelpSection(new HelpParagraph(hostLine)));
        return help;
    }

    public HelpMessage CreateVersionHelp() => inner.CreateVersionHelp();
}
