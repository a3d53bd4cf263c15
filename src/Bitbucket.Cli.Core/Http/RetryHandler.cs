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
        var first = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
        if (!HttpPipeline.IsTransient(first) || !HttpPipeline.MayRepeat(request.Method))
        {
            first.ThrowIfException();
            return first.Result!;
        }

        var retries = LazyInitializer.EnsureInitialized(ref pipeline, build);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var attempts = 0;
            var outcome = await retries.ExecuteOutcomeAsync(
                async (context, handler) => attempts++ == 0 ? first : await handler.AttemptAsync(request, context.CancellationToken).ConfigureAwait(false),
                context,
                this).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
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
