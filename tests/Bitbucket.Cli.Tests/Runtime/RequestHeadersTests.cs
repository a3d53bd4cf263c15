using System.Net.Http.Headers;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.Tests.Runtime;

public sealed class RequestHeadersTests
{
    [Fact]
    public void Headers_split_at_the_first_colon_and_are_trimmed()
    {
        var parsed = RequestHeaders.Parse(["Accept: application/json", "X-Trace:a:b:c", "  X-Empty :  "]);

        Assert.Equal(
            [new("Accept", "application/json"), new("X-Trace", "a:b:c"), new KeyValuePair<string, string>("X-Empty", "")],
            parsed);
    }

    [Theory]
    [InlineData("no colon")]
    [InlineData(": value without a name")]
    public void A_header_without_a_name_is_a_usage_error(string header)
    {
        var error = Assert.Throws<UsageException>(() => RequestHeaders.Parse([header]));

        Assert.Equal($"header '{header}' is not 'Name: value'", error.Message);
    }

    [Fact]
    public void A_content_header_replaces_the_bodys_own()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };

        RequestHeaders.Apply(request, RequestHeaders.Parse(["Content-Type: application/vnd.custom+json", "Accept: text/plain"]));

        Assert.Equal("application/vnd.custom+json", request.Content.Headers.ContentType?.ToString());
        Assert.Equal([new MediaTypeWithQualityHeaderValue("text/plain")], request.Headers.Accept);
    }

    [Theory]
    [InlineData("/2.0/user", "http://127.0.0.1:1/ctx/", "http://127.0.0.1:1/ctx/2.0/user")]
    [InlineData("2.0/user", "http://127.0.0.1:1/", "http://127.0.0.1:1/2.0/user")]
    [InlineData("http://127.0.0.1:2/x?y=1", "http://127.0.0.1:1/", "http://127.0.0.1:2/x?y=1")]
    public void Api_paths_are_relative_to_the_api_url_and_full_urls_stay(string path, string baseAddress, string expected)
        => Assert.Equal(expected, ApiRequestRunner.ResolvePath(new Uri(baseAddress), path).AbsoluteUri);
}
