using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Git;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>Which remote of a real checkout names the repository, and which stored host serves it.</summary>
public sealed class RepoContextTests : IDisposable
{
    private readonly GitCheckout checkout = new();

    public void Dispose() => checkout.Dispose();

    private RemoteRepository? Find() => RepoContext.FromGit(new GitRunner(checkout.Path, GitCheckout.Environment));

    [Fact]
    public void Origin_wins_over_other_remotes()
    {
        checkout.AddRemote("upstream", "git@bitbucket.org:team/api.git");
        checkout.AddRemote("origin", "git@bitbucket.org:alice/api.git");

        Assert.Equal("alice/api", Find()?.FullName);
    }

    [Fact]
    public void Remotes_that_disagree_without_origin_are_one_usage_error_listing_them()
    {
        checkout.AddRemote("fork", "git@bitbucket.org:alice/api.git");
        checkout.AddRemote("upstream", "https://bitbucket.org/team/api.git");

        var error = Assert.Throws<UsageException>(Find);

        Assert.Contains("fork: bitbucket.org/alice/api", error.Message, StringComparison.Ordinal);
        Assert.Contains("upstream: bitbucket.org/team/api", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Remotes_that_agree_and_remotes_that_are_not_bitbucket_are_no_conflict()
    {
        checkout.AddRemote("mirror", "/srv/mirror.git");
        checkout.AddRemote("ssh", "ssh://git@git.example.com:7999/PROJ/api.git");
        checkout.AddRemote("web", "https://git.example.com/scm/proj/api.git");

        Assert.Equal("PROJ/api", Find()?.FullName);
    }

    [Fact]
    public void A_url_shortened_with_insteadOf_is_read_as_git_expands_it()
    {
        checkout.Run("config", "url.git@bitbucket.org:.insteadOf", "bb:");
        checkout.AddRemote("origin", "bb:alice/short.git");

        Assert.Equal("bitbucket.org/alice/short", Find()?.ToString());
    }

    [Fact]
    public void Outside_a_checkout_there_is_no_repository()
    {
        var outside = Directory.CreateTempSubdirectory("bb-test-nogit-").FullName;
        try
        {
            Assert.Null(RepoContext.FromGit(new GitRunner(outside, GitCheckout.Environment)));
        }
        finally
        {
            Directory.Delete(outside);
        }
    }

    [Fact]
    public void The_cloud_remote_matches_the_api_host_and_a_data_center_remote_its_own()
    {
        var builtIn = HostConfig.BitbucketCloud("https://api.bitbucket.org");
        var work = builtIn with { Name = "work", Flavor = ApiFlavor.DataCenter, ApiUrl = "https://git.example.com/bitbucket" };
        var config = new BbConfig(builtIn, builtIn.Name, [work]);

        Assert.Equal("bitbucket.org", RepoContext.MatchHost(config, RemoteUrl.Parse("git@bitbucket.org:ws/r.git")!)?.Name);
        Assert.Equal("work", RepoContext.MatchHost(config, RemoteUrl.Parse("ssh://git@git.example.com:7999/P/r.git")!)?.Name);
        Assert.Null(RepoContext.MatchHost(config, RemoteUrl.Parse("https://other.example.com/scm/P/r.git")!));
    }
}
