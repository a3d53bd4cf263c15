using Polly;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// Retries through the Polly pipeline <see cref="HttpPipeline.BuildPipeline"/> makes, built the first time an answer
/// is worth another attempt (<see cref="HttpPipeline.IsTransient"/>) rather than for every command, and only for a
/// request that may be sent again (<see cref="HttpPipeline.MayRepeat"/>).
/// </summary>
/// <remarks>
/// Building the pipeline validates the retry strategy's options with DataAnnotations: about 11 ms of every command in
/// the self-contained ReadyToRun packages, 5% of a signed GET (docs/benchmarks.md, "17.5"), while nearly every
/// request is answered the first time. The pipeline starts from that first outcome, which it would have had itself,
/// so what is retried, how long each wait is and what is said about it stay the pipeline's. An outcome that is not
/// transient is one the pipeline would return as it is.
/// </remarks>
internal sealed class RetryHandler(Func<ResiliencePipeline<HttpResponseMessage>> build) : DelegatingHandler
{
    private ResiliencePipeline<HttpResponseMessage>? pipeline;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The first attempt is awaited here rather than in AttemptAsync: an answer that needs no retry then costs
        // no extra async layer (each distinct one is JIT-compiled at start-up in the ReadyToRun packages).
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Retries(request, Outcome.FromException<HttpResponseMessage>(e)))
        {
            return await RetryAsync(request, Outcome.FromException<HttpResponseMessage>(e), cancellationToken).ConfigureAwait(false);
        }

        var outcome = Outcome.FromResult(response);
        return Retries(request, outcome) ? await RetryAsync(request, outcome, cancellationToken).ConfigureAwait(false) : response;
    }

    private static bool Retries(HttpRequestMessage request, Outcome<HttpResponseMessage> first) =>
        HttpPipeline.IsTransient(first) && HttpPipeline.MayRepeat(request.Method);

    /// <summary>Goes on from a first outcome worth another attempt, through the pipeline (built now, once).</summary>
    private async Task<HttpResponseMessage> RetryAsync(HttpRequestMessage request, Outcome<HttpResponseMessage> first, CancellationToken cancellationToken)
    {
        var retries = LazyInitializer.EnsureInitialized(ref pipeline, build);
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            // The pipeline's first attempt is the one already made; each later one is sent anew.
            var attempts = 0;
            return Unwrap(await retries.ExecuteOutcomeAsync(
                async (context, request) => attempts++ == 0 ? first : await AttemptAsync(request, context.CancellationToken).ConfigureAwait(false),
                resilience,
                request).ConfigureAwait(false));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    /// <summary>The response, or the attempt's exception rethrown as it was thrown.</summary>
    private static HttpResponseMessage Unwrap(Outcome<HttpResponseMessage> outcome)
    {
        outcome.ThrowIfException();
        return outcome.Result!;
    }

    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return Outcome.FromResult(await base.SendAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            return Outcome.FromException<HttpResponseMessage>(e);
        }
    }
}
