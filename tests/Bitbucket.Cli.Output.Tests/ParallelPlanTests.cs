using System.Text;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

/// <summary>When Cloud pages may be fetched ahead (issue 17.2), and the URLs they are fetched from.</summary>
public sealed class ParallelPlanTests
{
    private static readonly Uri First = new("https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10");

    private static ParallelPlan? Plan(string body, Uri pageUri, string next, long written = 10, long limit = long.MaxValue)
    {
        using var page = PageReader.ReadPage(Encoding.UTF8.GetBytes(body));
        return ParallelPlan.For(page, pageUri, new Uri(next), written, limit);
    }

    private const string FirstPage = """{"size":95,"page":1,"pagelen":10,"values":[]}""";

    [Fact]
    public void A_next_that_changes_only_page_plans_every_remaining_page_in_the_servers_own_spelling()
    {
        var plan = Plan(FirstPage, First, "https://api.example.test/2.0/repositories/ws?q=name+%7E+%22a%22&pagelen=10&page=2");

        Assert.NotNull(plan);
        Assert.Equal(2, plan.First);
        Assert.Equal(10, plan.Last);
        // What following the server's own link for page 7 would request (System.Uri unescapes %7E either way).
        Assert.Equal(new Uri("https://api.example.test/2.0/repositories/ws?q=name+%7E+%22a%22&pagelen=10&page=7").AbsoluteUri, plan.UriOf(7).AbsoluteUri);
        Assert.Contains("q=name+~+%22a%22&pagelen=10&page=7", plan.UriOf(7).AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_ends_the_plan_at_the_page_that_reaches_it()
    {
        var plan = Plan(FirstPage, First, "https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&page=2", written: 10, limit: 35);

        Assert.NotNull(plan);
        Assert.Equal(4, plan.Last);
    }

    [Theory]
    [InlineData("https://api.example.test/2.0/repositories/ws?q=name+~+%22b%22&pagelen=10&page=2")]
    [InlineData("https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&page=3")]
    [InlineData("https://api.example.test/2.0/repositories/other?q=name+~+%22a%22&pagelen=10&page=2")]
    [InlineData("https://other.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&page=2")]
    [InlineData("https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&page=2&page=2")]
    [InlineData("https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&page=two")]
    [InlineData("https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&cursor=abc")]
    public void Any_other_next_is_followed_as_given(string next) => Assert.Null(Plan(FirstPage, First, next));

    [Theory]
    [InlineData("""{"page":1,"pagelen":10,"values":[]}""")]
    [InlineData("""{"size":95,"page":1,"values":[]}""")]
    [InlineData("""{"size":15,"page":1,"pagelen":10,"values":[]}""")]
    [InlineData("""{"size":95,"page":1,"pagelen":10,"isLastPage":false,"nextPageStart":10,"values":[]}""")]
    public void Without_size_and_pagelen_or_with_one_page_left_there_is_no_plan(string body) =>
        Assert.Null(Plan(body, First, "https://api.example.test/2.0/repositories/ws?q=name+~+%22a%22&pagelen=10&page=2"));
}
