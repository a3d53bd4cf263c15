using System.Net;
using Polly.Timeout;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// The outermost handler: one deadline per call, <c>--timeout</c> after it starts, that covers
/// redirects, retries and their waits, and reading the body. The response's content is wrapped so
/// every read of it runs under the same deadline: a server that sends its headers and then drips
/// the body a byte a second ends at the deadline like one that never answers.
/// </summary>
internal sealed class DeadlineHandler(TimeSpan timeout, TimeProvider time) : DelegatingHandler
{
    /// <summary>When the call must be over; inner handlers (the retry's wait) read it from the request.</summary>
    public static readonly HttpRequestOptionsKey<DateTimeOffset> DeadlineKey = new("bb.deadline");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var deadline = new CancellationTokenSource(timeout, time);
        request.Options.Set(DeadlineKey, time.GetUtcNow() + timeout);
        HttpResponseMessage response;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            deadline.Dispose();
            throw TimedOut(timeout, e);
        }
        catch
        {
            deadline.Dispose();
            throw;
        }

        response.Content = new DeadlineContent(response.Content, deadline, timeout);
        return response;
    }

    internal static TimeoutRejectedException TimedOut(TimeSpan timeout, Exception? inner)
    {
        var message = $"The operation didn't complete within the allowed timeout of '{timeout}'.";
        return inner is null ? new TimeoutRejectedException(message, timeout) : new TimeoutRejectedException(message, timeout, inner);
    }

    /// <summary>The response body, read under the call's deadline; disposing it releases the deadline's timer.</summary>
    private sealed class DeadlineContent(HttpContent inner, CancellationTokenSource deadline, TimeSpan timeout)
        : WrappedContent(inner, _ => true)
    {
        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        {
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                var stream = await Inner.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                return new DeadlineStream(stream, deadline.Token, timeout);
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(timeout, e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                deadline.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Reads that end with <see cref="TimeoutRejectedException"/> when the deadline passes.</summary>
    private sealed class DeadlineStream(Stream inner, CancellationToken deadline, TimeSpan timeout) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            deadline.ThrowIfTimedOut(timeout);
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline);
                return await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                && e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
            {
                throw TimedOut(timeout, e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}

internal static class DeadlineTokenExtensions
{
    public static void ThrowIfTimedOut(this CancellationToken deadline, TimeSpan timeout)
    {
        if (deadline.IsCancellationRequested)
        {
            throw DeadlineHandler.TimedOut(timeout, null);
        }
    }
}
