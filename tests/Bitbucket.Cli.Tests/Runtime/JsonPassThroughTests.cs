using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.Tests.Runtime;

public sealed class JsonPassThroughTests
{
    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1}\n")]
    [InlineData("[1,2]\n", "[1,2]\n")]
    [InlineData("\uFEFF{\"bom\":true}", "\uFEFF{\"bom\":true}\n")]
    [InlineData("", "")]
    public async Task Valid_json_passes_through_as_is_ending_with_a_newline(string body, string expected)
        => Assert.Equal(expected, await CopyAsync(body));

    [Theory]
    [InlineData("<html>portal</html>")]
    [InlineData("{\"cut\":")]
    [InlineData("{} {}")]
    public async Task A_body_that_is_not_one_json_value_prints_nothing_and_fails(string body)
    {
        var to = new MemoryStream();

        await Assert.ThrowsAnyAsync<JsonException>(() => JsonPassThrough.CopyEndingWithNewlineAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), to, CancellationToken.None));

        Assert.Equal(0, to.Length);
    }

    [Fact]
    public void The_check_accepts_a_value_split_anywhere()
    {
        var json = Encoding.UTF8.GetBytes("{\"name\":\"a long string value\",\"n\":[1,2.5,true,null]}");
        var completed = 0;
        for (var split = 0; split <= json.Length; split++)
        {
            var check = new JsonStreamCheck();
            check.Append(json.AsSpan(0, split));
            check.Append(json.AsSpan(split));
            check.Complete();
            completed++;
        }

        Assert.Equal(json.Length + 1, completed);
    }

    private static async Task<string> CopyAsync(string body)
    {
        var to = new MemoryStream();
        await JsonPassThrough.CopyEndingWithNewlineAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), to, CancellationToken.None);
        return Encoding.UTF8.GetString(to.ToArray());
    }
}
