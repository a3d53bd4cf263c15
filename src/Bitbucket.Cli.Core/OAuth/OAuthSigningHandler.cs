namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// Adds the RFC 5849 <c>Authorization</c> header to every request at send time. Each call signs anew with
/// a fresh nonce and timestamp (§3.3), so a retry handler placed outside this one never replays a header.
/// It only signs: no retries, no token exchange.
/// </summary>
/// <remarks>
/// The query is always signed; the body only when it is <c>application/x-www-form-urlencoded</c>
/// (§3.4.1.3.1). Reading the body buffers it, so it can still be sent (and re-sent) afterwards.
/// </remarks>
public sealed class OAuthSigningHandler : DelegatingHandler
{
    private const string FormMediaType = "application/x-www-form-urlencoded";

    private readonly Func<OAuthCredentials?> credentials;
    private readonly TimeProvider timeProvider;
    private readonly INonceSource nonceSource;

    /// <param name="credentials">Called per request; null sends the request unsigned (and leaves its headers alone).</param>
    public OAuthSigningHandler(Func<OAuthCredentials?> credentials, TimeProvider timeProvider, INonceSource nonceSource)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(nonceSource);
        this.credentials = credentials;
        this.timeProvider = timeProvider;
        this.nonceSource = nonceSource;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = this.credentials();
        if (credentials is not null)
        {
            var formBody = IsForm(request.Content)
                ? await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)
                : null;
            Sign(request, credentials, formBody);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = this.credentials();
        if (credentials is not null)
        {
            // Synchronous sends are rare; ReadAsStringAsync buffers the content, as in the async path.
            var formBody = IsForm(request.Content)
                ? request.Content!.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult()
                : null;
            Sign(request, credentials, formBody);
        }

        return base.Send(request, cancellationToken);
    }

    private void Sign(HttpRequestMessage request, OAuthCredentials credentials, string? formBody)
    {
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("OAuth signing needs an absolute request URI (set HttpClient.BaseAddress or use an absolute URI).");
        }

        var header = OAuthRequestSigner.CreateAuthorizationHeader(
            request.Method.Method,
            uri,
            formBody,
            credentials,
            this.nonceSource.NextNonce(),
            this.timeProvider.GetUtcNow().ToUnixTimeSeconds());
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", header);
    }

    private static bool IsForm(HttpContent? content) =>
        string.Equals(content?.Headers.ContentType?.MediaType, FormMediaType, StringComparison.OrdinalIgnoreCase);
}
