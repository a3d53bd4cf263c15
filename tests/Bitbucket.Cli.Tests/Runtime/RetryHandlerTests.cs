using System.Net;
using Bitbucket.Cli.Core.Http;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>
/// <see cref="RetryHandler"/>: the retry pipeline is built only when a first answer is transient, and then behaves as
/// if it had made that first attempt itself (the pipeline of <see cref="HttpPipeline.BuildPipeline"/>).
/// </summary>
public sealed class RetryHandlerTests
{
    [Fact]
    public async Task An_answer_that_is_not_transient_is_returned_without_building_the_pipeline()
    {
        var (client, server, builds) = Client([HttpStatusCode.NotFound]);

        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, server.Requests);
        Assert.Equal(0, builds());
    }

    [Fact]
    public async Task A_transient_first_answer_builds_the_pipeline_once_and_counts_as_its_first_attempt()
    {
        // MaxRetries 2: the first answer and two retries, whatever they are; a 503 after them is final.
        var (client, server, builds) = Client([HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]);

        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, server.Requests);
        Assert.Equal(1, builds());

        using var again = await client.GetAsync(new Uri("http://127.0.0.1/y"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, builds());
    }

    [Fact]
    public async Task A_post_is_not_repeated_after_a_transient_answer()
    {
        var (client, server, _) = Client([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]);

        using var response = await client.PostAsync(new Uri("http://127.0.0.1/x"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_post_whose_connection_broke_is_not_repeated()
    {
        // The server may have applied it before the answer was cut short: a second one could create a second pull request.
        var server = new Answers([]) { Throw = new HttpRequestException(HttpRequestError.ResponseEnded) };
        using var client = new HttpClient(new RetryHandler(() => HttpPipeline.BuildPipeline(Options(), TimeProvider.System)) { InnerHandler = server });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri("http://127.0.0.1/x"), new StringContent("{}")));

        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_get_whose_connection_broke_is_repeated()
    {
        var server = new Answers([]) { Throw = new HttpRequestException(HttpRequestError.ResponseEnded) };
        using var client = new HttpClient(new RetryHandler(() => HttpPipeline.BuildPipeline(Options(), TimeProvider.System)) { InnerHandler = server });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://127.0.0.1/x")));

        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task An_exception_that_is_not_transient_reaches_the_caller_as_it_was_thrown()
    {
        var server = new Answers([]) { Throw = new HttpRequestException(HttpRequestError.NameResolutionError) };
        var builds = 0;
        using var client = new HttpClient(new RetryHandler(() =>
        {
            builds++;
            return HttpPipeline.BuildPipeline(Options(), TimeProvider.System);
        })
        { InnerHandler = server });

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://127.0.0.1/x")));

        Assert.Same(server.Throw, thrown);
        Assert.Equal(0, builds);
    }

    private static HttpPipelineOptions Options() => new()
    {
        BaseAddress = new Uri("http://127.0.0.1/"),
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        Timeout = TimeSpan.FromMinutes(1),
    };

    private static (HttpClient Client, Answers Server, Func<int> Builds) Client(HttpStatusCode[] answers)
    {
        var server = new Answers(answers);
        var builds = 0;
        var client = new HttpClient(new RetryHandler(() =>
        {
            builds++;
            return HttpPipeline.BuildPipeline(Options(), TimeProvider.System);
        })
        { InnerHandler = server });
        return (client, server, () => builds);
    }

    private sealed class Answers(HttpStatusCode[] statuses) : HttpMessageHandler
    {
        private readonly Queue<HttpStatusCode> queue = new(statuses);

        public int Requests { get; private set; }

        public Exception? Throw { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            if (Throw is not null)
            {
                return Task.FromException<HttpResponseMessage>(Throw);
            }

            return Task.FromResult(new HttpResponseMessage(queue.Dequeue()) { RequestMessage = request, Content = new StringContent("{}") });
        }
    }
}
