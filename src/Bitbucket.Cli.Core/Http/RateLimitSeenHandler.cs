using System.Net;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// Marks a request that was answered 429 on any attempt (<see cref="Key"/> in its options). It sits next to the
/// sockets, inside the retries, so it sees every attempt: the request that finally succeeds still says it was
/// rate limited on the way, which is how paging in parallel knows to drop to one page at a time.
/// </summary>
internal sealed class RateLimitSeenHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<bool> Key = new("bb.rate-limited");

    /// <summary>Whether <paramref name="request"/> was answered 429 on some attempt.</summary>
    public static bool WasRateLimited(HttpRequestMessage request) => request.Options.TryGetValue(Key, out var seen) && seen;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            request.Options.Set(Key, true);
        }

        return response;
    }
}
