namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// The rule for a command of the other flavour: a host runs only its own flavour's generated
/// commands, so <c>bb prs reopen</c> on a Bitbucket Cloud host is refused with one line that names both
/// flavours, instead of Cocona's "not a command".
/// </summary>
internal static class FlavorGuard
{
    /// <summary>
    /// The refusal (without <c>bb: </c>) when <paramref name="group"/> exists only in the other flavour, or
    /// <paramref name="group"/> <paramref name="command"/> does; null when the host's flavour has them, or
    /// neither flavour does (Cocona then reports what it always has).
    /// </summary>
    /// <param name="catalog">Every generated endpoint of every flavour.</param>
    /// <param name="group">The first word after <c>bb</c>, if any.</param>
    /// <param name="command">The second word, if any.</param>
    public static string? Mismatch(IEnumerable<EndpointInfo> catalog, ApiFlavor hostFlavor, string hostName, string? group, string? command)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (group is null)
        {
            return null;
        }

        var inGroup = catalog.Where(e => string.Equals(e.Group, group, StringComparison.OrdinalIgnoreCase)).ToList();
        var here = inGroup.Where(e => e.Flavor == hostFlavor).ToList();
        var there = inGroup.Where(e => e.Flavor != hostFlavor).ToList();
        if (there.Count == 0)
        {
            return null;
        }

        var otherFlavor = there[0].Flavor;
        var commandThere = command is not null && there.Any(e => string.Equals(e.Name, command, StringComparison.OrdinalIgnoreCase));
        if (here.Count > 0)
        {
            // The group exists here: only a command that is missing here but exists there is refused.
            var commandHere = command is not null && here.Any(e => string.Equals(e.Name, command, StringComparison.OrdinalIgnoreCase));
            return commandThere && !commandHere ? Refusal($"'bb {group} {command}' is a {ApiFlavors.DisplayName(otherFlavor)} command", hostName, hostFlavor, otherFlavor) : null;
        }

        return commandThere
            ? Refusal($"'bb {group} {command}' is a {ApiFlavors.DisplayName(otherFlavor)} command", hostName, hostFlavor, otherFlavor)
            : Refusal($"'bb {group}' is a {ApiFlavors.DisplayName(otherFlavor)} command group", hostName, hostFlavor, otherFlavor);
    }

    private static string Refusal(string what, string hostName, ApiFlavor hostFlavor, ApiFlavor otherFlavor) =>
        $"{what}; host '{hostName}' is {ApiFlavors.DisplayName(hostFlavor)} (use --host to pick a {ShortName(otherFlavor)} host)";

    /// <summary><c>Cloud</c>, <c>Data Center</c>.</summary>
    private static string ShortName(ApiFlavor flavor) => ApiFlavors.DisplayName(flavor)["Bitbucket ".Length..];
}
