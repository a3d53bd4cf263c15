using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// What the README says about piped output (issue 14 item 7): a single response passes through byte for byte
/// as the server sent it (indented or not), and a list bb assembles from pages is compact.
/// </summary>
public sealed class PipedOutputTests
{
    private const string Indented = "{\n  \"slug\": \"demo\",\n  \"size\": 1.50\n}";

    [Fact]
    public async Task A_single_response_piped_is_passed_through_as_the_server_sent_it()
    {
        await using var server = RawHttpServer.Answering(200, Indented);
        using var bb = new BbProcess();

        var result = await bb.RunAsync("repos", "get", "ws", "demo", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Indented + "\n", result.Stdout);
    }

    [Fact]
    public async Task A_list_piped_is_compact_whatever_the_server_sent()
    {
        await using var server = RawHttpServer.Answering(200, "{\n  \"values\": [\n    {\"name\": \"main\"},\n    {\"name\": \"dev\"}\n  ]\n}");
        using var bb = new BbProcess();

        var result = await bb.RunAsync("branches", "list", "ws", "repo", "--paginate", "--api-url", server.Origin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[{\"name\":\"main\"},{\"name\":\"dev\"}]\n", result.Stdout);
    }
}
