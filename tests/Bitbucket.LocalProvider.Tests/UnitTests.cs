using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;
using Bitbucket.LocalProvider.OAuth;
using Bitbucket.LocalProvider.TestHooks;

namespace Bitbucket.LocalProvider.Tests;

public sealed class UnitTests
{
    private static readonly IReadOnlyList<JsonNode> Items =
    [
        JsonNode.Parse("""{"name":"beta","size":20,"owner":{"name":"x"}}""")!,
        JsonNode.Parse("""{"name":"Alpha","size":3,"owner":{"name":"y"}}""")!,
        JsonNode.Parse("""{"name":"gamma api","size":100,"owner":{"name":"x"}}""")!,
    ];

    private static List<string> Run(string? q, string? sort = null)
    {
        var result = ItemQuery.Apply(Items, q, sort, out var error);
        Assert.Null(error);
        return result.Select(i => i["name"]!.GetValue<string>()).ToList();
    }

    [Theory]
    [InlineData("name ~ \"a\"", "beta,Alpha,gamma api")]
    [InlineData("name ~ \"ALPHA\"", "Alpha")]
    [InlineData("name = \"alpha\"", "")]
    [InlineData("name = \"gamma api\"", "gamma api")]
    [InlineData("name != \"beta\"", "Alpha,gamma api")]
    [InlineData("name !~ \"ap\"", "beta,Alpha")]
    [InlineData("size > 10", "beta,gamma api")]
    [InlineData("size <= 20 AND owner.name = \"x\"", "beta")]
    [InlineData("name = \"beta\" OR name = \"Alpha\"", "beta,Alpha")]
    [InlineData("name = \"say \\\"hi\\\"\"", "")]
    public void Filter_subset(string q, string expected) =>
        Assert.Equal(expected, string.Join(',', Run(q)));

    [Theory]
    [InlineData("name", "Alpha,beta,gamma api")]
    [InlineData("-name", "gamma api,beta,Alpha")]
    [InlineData("size", "Alpha,beta,gamma api")]
    [InlineData("-size", "gamma api,beta,Alpha")]
    [InlineData("missing", "beta,Alpha,gamma api")]
    public void Sort_by_path(string sort, string expected) =>
        Assert.Equal(expected, string.Join(',', Run(null, sort)));

    [Theory]
    [InlineData("name ~")]
    [InlineData("name ~ \"open")]
    [InlineData("name ~ \"a\" XOR size > 1")]
    [InlineData("= \"a\"")]
    public void Bad_filters_are_errors(string q)
    {
        ItemQuery.Apply(Items, q, null, out var error);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("name ~ \"x\"", "name+~+%22x%22")]
    [InlineData("a/b*c~d", "a%2Fb%2Ac~d")]
    [InlineData("✓", "%E2%9C%93")]
    public void Next_links_are_form_encoded_like_bitbucket(string value, string expected) =>
        Assert.Equal(expected, Paging.FormEncode(value));

    [Theory]
    [InlineData("OAuth oauth_consumer_key=\"k\", oauth_signature=\"abc%3D\", oauth_version=\"1.0\"", "OAuth oauth_consumer_key=\"k\", oauth_version=\"1.0\"")]
    [InlineData("OAuth oauth_consumer_key=\"k\", oauth_signature=\"abc\"", "OAuth oauth_consumer_key=\"k\"")]
    [InlineData("OAuth oauth_signature=\"abc\", oauth_consumer_key=\"k\"", "OAuth oauth_consumer_key=\"k\"")]
    public void Recorded_authorization_header_loses_its_signature(string header, string expected) =>
        Assert.Equal(expected, TestHookState.RedactHeader(header));

    [Theory]
    [InlineData("?a=1&oauth_signature=x&b=2", "?a=1&b=2")]
    [InlineData("?oauth_signature=x", "")]
    [InlineData("a=1", "a=1")]
    public void Recorded_query_and_form_lose_their_signature(string text, string expected) =>
        Assert.Equal(expected, TestHookState.RedactPairs(text));

    [Theory]
    [InlineData("http://h/cb", "http://h/cb?x=1")]
    [InlineData("http://h/cb?s=2", "http://h/cb?s=2&x=1")]
    [InlineData("http://h/cb?", "http://h/cb?x=1")]
    [InlineData("http://h/cb?s=2#frag", "http://h/cb?s=2&x=1#frag")]
    public void Callback_gets_the_verifier_in_its_query(string callback, string expected) =>
        Assert.Equal(expected, ApprovePage.AppendQuery(callback, "x=1"));
}
