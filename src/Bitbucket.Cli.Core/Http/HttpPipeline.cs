using System.Net;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Bitbucket.Cli.Core.Http;

/// <summary>How one command's HTTP client behaves.</summary>
internal sealed record HttpPipelineOptions
{
    /// <summary>The API origin (and optional context path) requests are relative to.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>Credentials to sign with; null sends unsigned requests.</summary>
    public Func<OAuthCredentials?> Credentials { get; init; } = static () => null;

    /// <summary>
    /// The handler for a login that is not OAuth 1.0a (bearer, basic, OAuth 2.0), made per client; when
    /// set it takes the place of OAuth 1.0a signing (see <see cref="ApiSessions"/>).
    /// </summary>
    public Func<DelegatingHandler>? Authentication { get; init; }

    /// <summary>Origins the Authorization header may be sent to; others get unsigned requests.</summary>
    public IReadOnlyCollection<string> SignedOrigins { get; init; } = [];

    public bool Verbose { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The whole call, retries included, must finish within this.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries after the first attempt for idempotent methods (429, 5xx, connection failures).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The longest single wait between attempts, whatever Retry-After asks for.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first back-off delay when the server does not say (doubled per attempt, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Builds the one HTTP stack every request goes through. Outer to inner:
/// redirects → resilience (total timeout, retry, attempt timeout) → OAuth signing → origin guard
/// → trace (verbose / dry-run) → sockets. Signing sits inside the retry so every attempt is signed
/// afresh (new nonce and timestamp, RFC 5849 §3.3), and the origin guard sits inside signing so an
/// Authorization header never leaves for an origin it was not meant for (a redirect, a foreign
/// <c>next</c> link).
/// </summary>
internal static class HttpPipeline
{
    public static HttpClient Create(
        HttpPipelineOptions options,
        ConsoleIO io,
        TimeProvider time,
        INonceSource nonces,
        HttpMessageHandler? transport = null)
    {
        transport ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            UseCookies = false,
        };

        HttpMessageHandler handler = new TraceHandler(io, options.Verbose, options.DryRun, time) { InnerHandler = transport };
        handler = new OriginGuardHandler(options.SignedOrigins.Count > 0 ? options.SignedOrigins : [OriginOf(options.BaseAddress)]) { InnerHandler = handler };
        var authentication = options.Authentication?.Invoke() ?? new OAuthSigningHandler(options.Credentials, time, nonces);
        authentication.InnerHandler = handler;
        handler = authentication;
        handler = new ResilienceHandler(BuildPipeline(options, time)) { InnerHandler = handler };
        handler = new RedirectHandler() { InnerHandler = handler };

        return new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.BaseAddress,
            // The resilience pipeline owns time limits; HttpClient's own would cut streamed bodies.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary><c>scheme://host:port</c>, lower-case, the unit an Authorization header is scoped to.</summary>
    public static string OriginOf(Uri uri) =>
        $"{uri.Scheme.ToLowerInvariant()}://{uri.Host.ToLowerInvariant()}:{uri.Port}";

    /// <summary>
    /// Worth another attempt: 408, 429 and 5xx answers, a connection reset or cut short, an attempt
    /// that timed out. Not a refused connection or an unknown host: those fail the same way again.
    /// </summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is { } response)
        {
            var status = (int)response.StatusCode;
            return status is 408 or 429 or >= 500 and not 501 and not 505;
        }

        return outcome.Exception switch
        {
            Polly.Timeout.TimeoutRejectedException => true,
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => true,
            HttpRequestException e => e.InnerException is IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset } }
                || (e.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset,
            _ => false,
        };
    }

    internal static ResiliencePipeline<HttpResponseMessage> BuildPipeline(HttpPipelineOptions options, TimeProvider time)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(options.MaxRetries, 0),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldRetryAfterHeader = true,
            ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
        };

        // Only idempotent requests are repeated: a POST that timed out may have been applied.
        retry.DisableFor(HttpMethod.Post, HttpMethod.Patch, HttpMethod.Connect);

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(options.Timeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(retry);
        }

        return builder.Build();
    }
}
