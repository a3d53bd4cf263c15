using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class PageReaderTests
{
    private static Task<PageResult> ReadAsync(string json) =>
        PageReader.ReadPageAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

    [Fact]
    public async Task Page_with_next()
    {
        using var page = await ReadAsync("""{"pagelen":2,"page":1,"size":250,"values":[{"a":1},{"a":2}],"next":"https://api.bitbucket.org/2.0/repositories/w?page=2"}""");

        Assert.True(page.IsPaginated);
        Assert.Equal([1, 2], page.Values.Select(v => v.GetProperty("a").GetInt32()));
        Assert.Equal("https://api.bitbucket.org/2.0/repositories/w?page=2", page.Next);
        Assert.Equal(250, page.Size);
        Assert.Equal(1, page.Page);
        Assert.Equal(2, page.PageLength);
    }

    [Fact]
    public async Task Last_page_has_no_next_and_size_may_be_absent()
    {
        using var page = await ReadAsync("""{"pagelen":10,"values":[{"a":1}]}""");

        Assert.True(page.IsPaginated);
        Assert.Single(page.Values);
        Assert.Null(page.Next);
        Assert.Null(page.Size);
        Assert.Null(page.Page);
    }

    [Fact]
    public async Task Next_is_kept_verbatim()
    {
        const string next = "https://api.bitbucket.org/2.0/repositories/w/r/refs/branches?q=name+%7E+%22feat%2Fx%22&page=Zm9v%2Bbar%3D%3D&sort=-name";

        using var page = await ReadAsync($$"""{"values":[],"next":"{{next}}"}""");

        Assert.Equal(next, page.Next);
    }

    [Fact]
    public async Task Json_escapes_in_next_are_decoded_but_url_escapes_are_not()
    {
        using var page = await ReadAsync("""{"values":[],"next":"https:\/\/x\/2.0\/a?q=a\u002Bb%2Fc"}""");

        Assert.Equal("https://x/2.0/a?q=a+b%2Fc", page.Next);
    }

    [Theory]
    [InlineData("""{"type":"repository","full_name":"w/r"}""")]
    [InlineData("""{"values":"not an array"}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""42""")]
    public async Task Body_without_a_values_array_is_not_paginated(string json)
    {
        using var page = await ReadAsync(json);

        Assert.False(page.IsPaginated);
        Assert.Empty(page.Values);
        Assert.Null(page.Next);
        Assert.Equal(JsonDocument.Parse(json).RootElement.ValueKind, page.Root.ValueKind);
    }

    [Fact]
    public async Task Non_string_next_is_ignored()
    {
        using var page = await ReadAsync("""{"values":[],"next":null}""");

        Assert.True(page.IsPaginated);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Invalid_body_throws_JsonException()
    {
        await Assert.ThrowsAnyAsync<JsonException>(() => ReadAsync("<html>"));
    }

    [Fact]
    public async Task Reading_many_pages_one_at_a_time()
    {
        var total = 0;
        for (var p = 1; p <= 50; p++)
        {
            using var page = await ReadAsync(Pages.Page(p, 100, p == 50));
            total += page.Values.Count;
            Assert.Equal(p == 50, page.Next is null);
        }

        Assert.Equal(5000, total);
    }
}
