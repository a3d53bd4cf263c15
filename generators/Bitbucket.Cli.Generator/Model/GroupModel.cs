namespace Bitbucket.Cli.Generator.Model;

/// <summary>A command group that has at least one valid endpoint.</summary>
/// <param name="ClassName">The generated command class (<c>PullRequestsCommands</c>).</param>
internal sealed record GroupModel(string Name, string Description, string ClassName);
