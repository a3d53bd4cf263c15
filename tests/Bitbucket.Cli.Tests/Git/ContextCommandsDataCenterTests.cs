using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>
/// Generated Data Center commands inside a git checkout: project and repository come from the
/// remote's SSH (port 7999) or HTTP <c>/scm/</c> URL, with or without a context path; the remote's
/// host picks the Data Center login, so the Data Center commands are the ones registered.
/// </summary>
public abstract class ContextCommandsDataCenterTestsBase(DataCenterProviderFixture provider) : IDisposable
{
    private readonly BbProcess bb = new();
    private readonly GitCheckout checkout = new();

    public void Dispose()
    {
        bb.Dispose();
        checkout.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task LoginAsync()
    {
        bb.Environment["BROWSER"] = DataCenterProviderFixture.ApproveCommand;
        var login = await bb.RunAsync(
            ["auth", "login", "--host", "work", "--api-url", provider.ApiUrl, "--consumer-key", DataCenterProviderFixture.ConsumerKey, "--rsa-key", provider.KeyFile, "--timeout", "60"],
            stdin: null,
            onStderrLine: null);
        Assert.True(login.ExitCode == 0, login.ToString());
        GitCheckout.MakeDefaultHost(bb, "bitbucket.org");
        checkout.Prepare(bb);
        await provider.ClearRequestsAsync();
    }

    private string Authority => new Uri(provider.Origin).Authority;

    [Theory]
    [InlineData("ssh://git@{host}:7999/PROJ/demo.git")]
    [InlineData("http://alice@{authority}{context}/scm/PROJ/demo.git")]
    public async Task Prs_list_without_coordinates_uses_the_remotes_project_and_repository(string shape)
    {
        await LoginAsync();
        checkout.AddRemote("origin", shape
            .Replace("{host}", new Uri(provider.Origin).Host, StringComparison.Ordinal)
            .Replace("{authority}", Authority, StringComparison.Ordinal)
            .Replace("{context}", provider.ContextPath, StringComparison.Ordinal));

        var result = await bb.RunAsync("prs", "list", "--query", "size");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(provider.ContextPath + "/rest/api/latest/projects/PROJ/repos/demo/pull-requests", await provider.RequestTargetsAsync());
    }

    [Fact]
    public async Task Branches_list_and_repos_get_run_without_arguments()
    {
        await LoginAsync();
        checkout.AddRemote("origin", $"http://{Authority}{provider.ContextPath}/scm/PROJ/many.git");

        var branches = await bb.RunAsync("branches", "list", "--query", "size");
        var repo = await bb.RunAsync("repos", "get", "--query", "slug");

        Assert.True(branches.ExitCode == 0, branches.ToString());
        Assert.True(repo.ExitCode == 0, repo.ToString());
        Assert.Equal("many\n", repo.Stdout);
        Assert.Contains(provider.ContextPath + "/rest/api/latest/projects/PROJ/repos/many/branches", await provider.RequestTargetsAsync());
    }

    [Fact]
    public async Task An_explicit_host_ignores_a_remote_on_another_server()
    {
        await LoginAsync();
        checkout.AddRemote("origin", "ssh://git@git.elsewhere.example:7999/PROJ/demo.git");

        var result = await bb.RunAsync("prs", "list", "--host", "work");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing argument", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await provider.RequestTargetsAsync());
    }
}

[Collection(DataCenterProviderCollection.Name)]
public sealed class ContextCommandsDataCenterTests(DataCenterProviderFixture provider) : ContextCommandsDataCenterTestsBase(provider);

public sealed class ContextCommandsContextPathTests(ContextPathDataCenterProviderFixture provider)
    : ContextCommandsDataCenterTestsBase(provider), IClassFixture<ContextPathDataCenterProviderFixture>;
