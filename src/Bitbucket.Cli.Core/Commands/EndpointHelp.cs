using System.Text;
using Cocona.Command;
using Cocona.Help;
using Cocona.Help.DocumentModel;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>The endpoints the tool was built with, for help and completion.</summary>
public static class EndpointCatalog
{
    private static Dictionary<(string Group, string Name), EndpointInfo> endpoints = [];

    public static void Register(IEnumerable<EndpointInfo> all) =>
        endpoints = all.ToDictionary(e => (e.Group, e.Name));

    public static EndpointInfo? Find(string group, string name) => endpoints.GetValueOrDefault((group, name));

    /// <summary>The endpoints of <paramref name="group"/>, in spec order.</summary>
    public static IEnumerable<EndpointInfo> InGroup(string group) => endpoints.Values.Where(e => e.Group == group);

    /// <summary>The groups of the registered endpoints.</summary>
    public static IReadOnlyCollection<string> Groups => endpoints.Keys.Select(k => k.Group).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Put on every generated command: extends Cocona's help with the spec's long description, the
/// request body's fields, pagination hints and an example, so <c>--help</c> is a complete page.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class EndpointHelpAttribute(string group, string name) : TransformHelpAttribute
{
    public string Group { get; } = group;

    public string Name { get; } = name;

    public override void TransformHelp(HelpMessage helpMessage, CommandDescriptor command)
    {
        if (EndpointCatalog.Find(Group, Name) is not { } endpoint)
        {
            return;
        }

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

        about.Append("\n\n").Append(endpoint.Method).Append(' ').Append(endpoint.PathTemplate);
        var description = helpMessage.Children.OfType<HelpSection>().FirstOrDefault(s => s.Id == HelpSectionId.Description);
        var section = new HelpSection(HelpSectionId.Description, new HelpParagraph(about.ToString()));
        if (description is null)
        {
            helpMessage.Children.Insert(Math.Min(1, helpMessage.Children.Count), section);
        }
        else
        {
            helpMessage.Children[helpMessage.Children.IndexOf(description)] = section;
        }

        if (endpoint.BodyKind != BodyKind.None)
        {
            var fields = new HelpLabelDescriptionList(endpoint.BodyFields
                .Select(f => new HelpLabelDescriptionListItem($"{f.Name} ({f.Type})", f.Required ? $"{f.Description} (Required)" : f.Description))
                .ToArray());
            var kind = endpoint.BodyKind == BodyKind.Form ? "form-encoded" : "JSON";
            helpMessage.Children.Add(new HelpSection(
                new HelpHeading($"Request body ({kind}; -f key=value, -F key=value, or --input FILE):"),
                new HelpSection(HelpSectionId.Options, fields)));
        }

        if (endpoint.Paginated)
        {
            helpMessage.Children.Add(new HelpSection(
                new HelpHeading("Pages:"),
                new HelpSection(new HelpParagraph("  Prints the first page as returned; --paginate streams every page's values as one JSON array,\n  --limit N stops after N items, --jsonl prints one value per line, --format table shows columns."))));
        }

        if (endpoint.Example is { Length: > 0 } example)
        {
            helpMessage.Children.Add(new HelpSection(new HelpHeading("Example:"), new HelpSection(new HelpParagraph("  " + example))));
        }
    }
}
