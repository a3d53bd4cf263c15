using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Http;

/// <summary>A resolved host with the HTTP client that authenticates for it.</summary>
internal sealed class ApiSession(ResolvedHost host, HttpClient http) : IDisposable
{
    public ResolvedHost Host { get; } = host;

    public HttpClient Http { get; } = http;

    public void Dispose() => Http.Dispose();
}

/// <summary>What one command asks of its session: which host, and how its client behaves.</summary>
internal sealed record SessionOptions(string? Host, string? ApiUrl, bool Verbose, bool DryRun, TimeSpan Timeout);

/// <summary>
/// The one factory for HTTP clients (gh's factory): every client — an API command's, the login
/// exchange's, the login check's — comes from <see cref="HttpPipeline"/> with the process's console,
/// clock and nonce source. The stored login's scheme picks the one authentication handler: OAuth 1.0a
/// signing, OAuth 2.0 (with refresh), bearer or basic.
/// </summary>
internal sealed class ApiSessions(ConsoleIO io, ConfigStore store, TimeProvider time, INonceSource nonces)
{
    private static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Resolves host and credentials (<see cref="CredentialResolver"/>) and builds the client that authenticates for them.</summary>
    /// <exception cref="AuthException">
    /// No login for the host (nothing is sent). A run that names its API URL itself (<c>--api-url</c>,
    /// <c>BB_API_URL</c>) or only prints (<c>--dry-run</c>) may go without one.
    /// </exception>
    public ApiSession Open(SessionOptions options)
    {
        var host = CredentialResolver.Resolve(store.Load(), io.Environment, options.Host, options.ApiUrl);
        if (!host.HasCredentials && !host.ApiUrlOverridden && !options.DryRun)
        {
            throw NotLoggedIn(host.HostName);
        }

        var baseAddress = ApiBase(host.ApiUrl);
        var http = CreateClient(Authenticate(new HttpPipelineOptions
        {
            BaseAddress = baseAddress,
            Verbose = options.Verbose,
            DryRun = options.DryRun,
            Timeout = options.Timeout,
        }, host));
        return new ApiSession(host, http);
    }

    /// <summary>The one refusal for a host without a login.</summary>
    public static AuthException NotLoggedIn(string hostName) => new($"not logged in to {hostName}; run bb auth login");

    /// <summary>A client that authenticates as <paramref name="host"/>'s login (any scheme; none: unsigned) for <paramref name="baseAddress"/>.</summary>
    public HttpClient CreateClient(ResolvedHost host, Uri baseAddress, bool verbose, TimeSpan timeout)
        => CreateClient(Authenticate(new HttpPipelineOptions { BaseAddress = baseAddress, Verbose = verbose, Timeout = timeout }, host));

    /// <summary>A client that signs with <paramref name="credentials"/> (none: unsigned) for <paramref name="baseAddress"/>.</summary>
    public HttpClient CreateClient(Uri baseAddress, OAuthCredentials? credentials, bool verbose, TimeSpan timeout)
        => CreateClient(new HttpPipelineOptions { BaseAddress = baseAddress, Credentials = () => credentials, Verbose = verbose, Timeout = timeout });

    /// <summary><paramref name="options"/>' verbosity is raised by <c>BB_DEBUG</c>.</summary>
    public HttpClient CreateClient(HttpPipelineOptions options)
        => HttpPipeline.Create(options with { Verbose = options.Verbose || io.Debug }, io, time, nonces);

    /// <summary>
    /// A client for an OAuth 2.0 token endpoint: the client (consumer key and secret) authenticates
    /// with HTTP Basic, to that endpoint's origin only. Its requests are never traced as they are (their
    /// form bodies carry the code or the refresh token): with <paramref name="verbose"/> (or
    /// <c>BB_DEBUG</c>) <see cref="OAuth2TokenClient"/> prints one redacted line per request instead.
    /// </summary>
    public TokenEndpointClient CreateTokenClient(Uri tokenUrl, string consumerKey, string consumerSecret, bool verbose, TimeSpan timeout)
    {
        SigningCredentials.RequireTls(AuthScheme.Basic, tokenUrl);
        var client = HttpPipeline.Create(new HttpPipelineOptions
        {
            BaseAddress = new Uri(tokenUrl.GetLeftPart(UriPartial.Authority) + "/"),
            SignedOrigins = [HttpPipeline.OriginOf(tokenUrl)],
            Authentication = () => new BasicAuthHandler(consumerKey, consumerSecret),
            Timeout = timeout,
        }, io, time, nonces);
        return new TokenEndpointClient(client, verbose || io.Debug ? io.Error : null);
    }

    /// <summary>The token <paramref name="host"/>'s login sends: as stored, or for OAuth 2.0 refreshed first when it has expired.</summary>
    public async Task<string> CurrentTokenAsync(ResolvedHost host, CancellationToken cancellationToken)
    {
        if (host.Scheme != AuthScheme.OAuth2 || host.Token is null)
        {
            return host.Token ?? throw NotLoggedIn(host.HostName);
        }

        var session = OAuth2SessionFor(host, verbose: false, dryRun: false);
        return (await session.CurrentAsync(cancellationToken).ConfigureAwait(false)).Token;
    }

    private OAuth2Session OAuth2SessionFor(ResolvedHost host, bool verbose, bool dryRun) => new(
        store,
        host,
        () => CreateTokenClient(new Uri(host.OAuth2TokenUrl!), host.ConsumerKey!, host.ConsumerSecret!, verbose, TokenRequestTimeout),
        time,
        dryRun);

    /// <summary><paramref name="options"/> with the handler for <paramref name="host"/>'s scheme.</summary>
    private HttpPipelineOptions Authenticate(HttpPipelineOptions options, ResolvedHost host)
    {
        if (host.Scheme == AuthScheme.OAuth1 || host.Token is null)
        {
            var credentials = SigningCredentials.For(host, options.BaseAddress, io.Error);
            return options with { Credentials = () => credentials };
        }

        SigningCredentials.RequireTls(host.Scheme, options.BaseAddress);
        var token = host.Token;
        switch (host.Scheme)
        {
            case AuthScheme.Bearer:
                return options with { Authentication = () => new BearerAuthHandler(token) };
            case AuthScheme.Basic:
                var login = host.Username ?? throw new UsageException($"basic authentication needs a username: set {EnvironmentVariables.Username} with {EnvironmentVariables.Token}");
                return options with { Authentication = () => new BasicAuthHandler(login, token) };
            default:
                var session = OAuth2SessionFor(host, options.Verbose, options.DryRun);
                return options with { Authentication = () => new OAuth2Handler(session) };
        }
    }

    /// <summary>The API URL as a base address: requests are relative to it, so it ends with '/'.</summary>
    public static Uri ApiBase(string apiUrl) => new(apiUrl.TrimEnd('/') + "/", UriKind.Absolute);
}
