using Bitbucket.Cli.Core.Git;

namespace Bitbucket.Cli.Tests.Git;

/// <summary>Every remote URL shape Bitbucket Cloud and Data Center hand out, and what is not one.</summary>
public sealed class RemoteUrlTests
{
    public static TheoryData<string, string, int?, string, string, string, string> Shapes => new()
    {
        // url, host, port, scheme, context path, owner, repo
        { "git@bitbucket.org:ws/repo.git", "bitbucket.org", null, "ssh", "", "ws", "repo" },
        { "git@bitbucket.org:ws/repo", "bitbucket.org", null, "ssh", "", "ws", "repo" },
        { "https://user@bitbucket.org/ws/repo.git", "bitbucket.org", null, "https", "", "ws", "repo" },
        { "https://bitbucket.org/ws/repo", "bitbucket.org", null, "https", "", "ws", "repo" },
        { "ssh://git@bitbucket.org/ws/repo.git", "bitbucket.org", null, "ssh", "", "ws", "repo" },
        { "ssh://git@git.example.com:7999/proj/repo.git", "git.example.com", 7999, "ssh", "", "proj", "repo" },
        { "ssh://git@git.example.com:7999/~alice/repo.git", "git.example.com", 7999, "ssh", "", "~alice", "repo" },
        { "https://git.example.com/scm/proj/repo.git", "git.example.com", null, "https", "", "proj", "repo" },
        { "https://alice@Git.Example.com/bitbucket/scm/PROJ/my-repo.git", "git.example.com", null, "https", "/bitbucket", "PROJ", "my-repo" },
        { "http://127.0.0.1:7990/a/b/scm/PROJ/repo.git/", "127.0.0.1", 7990, "http", "/a/b", "PROJ", "repo" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_shape_gives_host_and_coordinates(string url, string host, int? port, string scheme, string contextPath, string owner, string repo)
    {
        var parsed = RemoteUrl.Parse(url);

        Assert.Equal(new RemoteRepository(host, port, scheme, contextPath, owner, repo), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/srv/git/repo.git")]
    [InlineData("../repo")]
    [InlineData("file:///srv/git/ws/repo.git")]
    [InlineData("https://bitbucket.org/ws")]
    [InlineData("https://git.example.com/a/b/c.git")]
    [InlineData("ssh://git@git.example.com:7999/scm/proj/repo.git/extra")]
    [InlineData("C:\\repos\\x")]
    public void What_is_not_a_bitbucket_repository_is_null(string url) => Assert.Null(RemoteUrl.Parse(url));

    [Fact]
    public void A_password_in_a_url_is_never_repeated()
    {
        var text = RemoteUrl.Redact("fatal: unable to access 'https://alice:s3cret-token@git.example.com/scm/p/r.git/': 403");

        Assert.DoesNotContain("s3cret-token", text, StringComparison.Ordinal);
        Assert.Contains("https://alice@git.example.com/scm/p/r.git/", text, StringComparison.Ordinal);
    }
}
