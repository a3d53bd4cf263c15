using System.Net;
using System.Reflection;
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

    /// <summary>Where "retrying in N s" lines go; null: stderr when it is a terminal, else nowhere.</summary>
    public Action<string>? RetryNotice { get; init; }
}

/// <summary>
/// Builds the one HTTP stack every request goes through. Outer to inner:
/// deadline (<c>--timeout</c> over the whole call, reading the body included) → redirects →
/// retry (Polly's pipeline, built on the first transient answer: <see cref="RetryHandler"/>; honouring a capped Retry-After) → OAuth signing → origin guard
/// → decompression (capped) → HTTP version (HTTP/2 offered over TLS) → trace (verbose / dry-run) → sockets. Signing sits inside the retry so every attempt is signed
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
        // Retries say so on a terminal ("bb: rate limited, retrying in 1 s"); piped, they are silent.
        options = options with { RetryNotice = options.RetryNotice ?? (io.StderrIsTty ? io.Error.WriteLine : null) };
        transport ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // bb decompresses itself (DecompressionHandler), with caps a decompression bomb hits.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            UseCookies = false,
            // The platform's checks as they are; a refusal says why (bb: TLS connection to … failed: …).
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = CertificateCheck.Validate },
        };

        transport = new RateLimitSeenHandler { InnerHandler = transport };
        HttpMessageHandler handler = new TraceHandler(io, options.Verbose, options.DryRun, time) { InnerHandler = transport };
        // Above the trace, so --verbose shows the version offered ("> GET … HTTP/2.0") and the one answered.
        handler = new HttpVersionHandler() { InnerHandler = handler };
        handler = new DecompressionHandler() { InnerHandler = handler };
        handler = new OriginGuardHandler(options.SignedOrigins.Count > 0 ? options.SignedOrigins : [OriginOf(options.BaseAddress)]) { InnerHandler = handler };
        var authentication = options.Authentication?.Invoke() ?? new OAuthSigningHandler(options.Credentials, time, nonces);
        authentication.InnerHandler = handler;
        handler = authentication;
        handler = new RetryHandler(() => BuildPipeline(options, time)) { InnerHandler = handler };
        handler = new RedirectHandler() { InnerHandler = handler };
        handler = new DeadlineHandler(options.Timeout, time) { InnerHandler = handler };

        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.BaseAddress,
            // The resilience pipeline owns time limits; HttpClient's own would cut streamed bodies.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }

    /// <summary><c>bb/VERSION</c>, sent with every request so server logs can tell bb's calls apart.</summary>
    public static string UserAgent { get; } = "bb/" + (typeof(HttpPipeline).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <summary><c>scheme://host:port</c>, lower-case, the unit an Authorization header is scoped to.</summary>
    public static string OriginOf(Uri uri) =>
        $"{uri.Scheme.ToLowerInvariant()}://{uri.Host.ToLowerInvariant()}:{uri.Port}";

    /// <summary>
    /// Worth another attempt: 408, 429 and 5xx answers, a connection reset or cut short. Not a refused
    /// connection or an unknown host: those fail the same way again.
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
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => true,
            HttpRequestException e => e.InnerException is IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset } }
                || (e.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a request may be sent again after a transient failure: not a POST, PATCH or CONNECT, which the server
    /// may have applied before its answer failed or was cut short.
    /// </summary>
    internal static bool MayRepeat(HttpMethod method) =>
        method != HttpMethod.Post && method != HttpMethod.Patch && method != HttpMethod.Connect;

    internal static ResiliencePipeline<HttpResponseMessage> BuildPipeline(HttpPipelineOptions options, TimeProvider time)
    {
        var say = options.RetryNotice;
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(options.MaxRetries, 0),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            // Retry-After is read here (both forms, capped), not by the strategy: see ShouldRetry.
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options, time)),
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Result is { } response && RetryAfter.Applies(response.StatusCode) ? RetryAfter.Of(response, time.GetUtcNow()) : null),
        };
        if (say is not null)
        {
            retry.OnRetry = args =>
            {
                var seconds = Math.Max(1, RetryAfter.Seconds(args.RetryDelay));
                say(args.Outcome.Result is { } response
                    ? (int)response.StatusCode == 429
                        ? $"bb: rate limited, retrying in {seconds} s"
                        : $"bb: server error {(int)response.StatusCode}, retrying in {seconds} s"
                    : $"bb: network error, retrying in {seconds} s");
                return ValueTask.CompletedTask;
            };
        }

        // Only idempotent requests are repeated (MayRepeat): RetryHandler does not give the others to this pipeline.

        // No timeout strategy: DeadlineHandler, outside this pipeline, owns --timeout for the whole call
        // (retries, their waits and the body). A second timer here fired at the same moment with the same
        // message, and cost a validated strategy on every start (docs/benchmarks.md, "The floor").
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(retry);
        }

        return builder.Build();
    }

    /// <summary>
    /// Transient (<see cref="IsTransient"/>), unless the server asks for a wait longer than the cap
    /// or than the time the call has left: then there is no point waiting, and the call ends at once
    /// with <see cref="RateLimitedException"/> ("retry after N s").
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpPipelineOptions options, TimeProvider time)
    {
        if (!IsTransient(outcome))
        {
            return false;
        }

        if (outcome.Result is { } response && RetryAfter.Applies(response.StatusCode)
            && RetryAfter.Of(response, time.GetUtcNow()) is { } wait)
        {
            var left = response.RequestMessage?.Options.TryGetValue(DeadlineHandler.DeadlineKey, out var deadline) == true
                ? deadline - time.GetUtcNow()
                : options.Timeout;
            if (wait > options.MaxRetryDelay || wait > left)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new RateLimitedException(RetryAfter.Seconds(wait), status);
            }
        }

        return true;
    }
}
