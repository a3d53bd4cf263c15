using System.Net;
using System.Text;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>
/// HTTP stubs for in-process runtime tests: each registered URL answers once; a request nobody
/// registered fails the test, and <see cref="AssertAllUsed"/> fails it for a stub never requested.
/// </summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpResponseMessage>> stubs = new(StringComparer.Ordinal);

    public List<string> Requested { get; } = [];

    public StubHandler Json(string url, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        stubs.Add(url, () => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        return this;
    }

    public void AssertAllUsed() => Assert.Empty(stubs.Keys.Except(Requested));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.AbsoluteUri;
        Requested.Add(url);
        Assert.True(stubs.Remove(url, out var respond), $"unexpected request to {url}");
        var response = respond!();
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
