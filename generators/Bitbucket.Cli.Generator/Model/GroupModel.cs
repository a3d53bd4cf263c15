namespace Bitbucket.Cli.Generator.Model;

/// <summary>A command group of one API that has at least one valid endpoint of that API.</summary>
/// <param name="ClassName">The generated command class (<c>PullRequestsCommands</c>, <c>DataCenterPullRequestsCommands</c>).</param>
internal sealed record GroupModel(string Name, string Description, string ClassName, Flavor Flavor = Flavor.Cloud);
