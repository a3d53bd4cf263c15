using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Http;

/// <summary>A resolved host with the HTTP client that signs for it.</summary>
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
/// clock and nonce source.
/// </summary>
internal sealed class ApiSessions(ConsoleIO io, ConfigStore store, TimeProvider time, INonceSource nonces)
{
    /// <summary>Resolves host and credentials (<see cref="CredentialResolver"/>) and builds the signing client.</summary>
    public ApiSession Open(SessionOptions options)
    {
        var host = CredentialResolver.Resolve(store.Load(), io.Environment, options.Host, options.ApiUrl);
        var baseAddress = ApiBase(host.ApiUrl);
        var credentials = SigningCredentials.For(host, baseAddress, io.Error);
        var http = CreateClient(new HttpPipelineOptions
        {
            BaseAddress = baseAddress,
            Credentials = () => credentials,
            Verbose = options.Verbose,
            DryRun = options.DryRun,
            Timeout = options.Timeout,
        });
        return new ApiSession(host, http);
    }

    /// <summary>A client that signs with <paramref name="credentials"/> (none: unsigned) for <paramref name="baseAddress"/>.</summary>
    public HttpClient CreateClient(Uri baseAddress, OAuthCredentials? credentials, bool verbose, TimeSpan timeout)
        => CreateClient(new HttpPipelineOptions { BaseAddress = baseAddress, Credentials = () => credentials, Verbose = verbose, Timeout = timeout });

    /// <summary><paramref name="options"/>' verbosity is raised by <c>BB_DEBUG</c>.</summary>
    public HttpClient CreateClient(HttpPipelineOptions options)
        => HttpPipeline.Create(options with { Verbose = options.Verbose || io.Debug }, io, time, nonces);

    /// <summary>The API URL as a base address: requests are relative to it, so it ends with '/'.</summary>
    public static Uri ApiBase(string apiUrl) => new(apiUrl.TrimEnd('/') + "/", UriKind.Absolute);
}
