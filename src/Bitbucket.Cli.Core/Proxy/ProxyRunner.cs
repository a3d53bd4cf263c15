using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Proxy;

/// <summary>Everything <c>bb proxy</c> was given.</summary>
/// <param name="Port">The loopback port to listen on; 0 picks a free one.</param>
/// <param name="Host">The <c>--host</c> value, if given.</param>
/// <param name="Timeout">Seconds one forwarded request may take to get its response headers, retries included.</param>
internal sealed record ProxyOptions(int Port, string? Host, double? Timeout);

/// <summary>
/// <c>bb proxy</c>: opens the host's session (the same authenticated client every command uses), listens
/// on 127.0.0.1, prints the URL with a fresh secret once, and serves until Ctrl+C (exit 130, as every
/// interrupted bb command) or SIGTERM (exit 0).
/// </summary>
internal sealed class ProxyRunner(ConsoleIO io, ApiSessions sessions, TimeProvider time)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    public async Task<int> RunAsync(ProxyOptions options, CancellationToken ct)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new UsageException("--port must be between 0 (a free port) and 65535");
        }

        var timeout = options.Timeout is { } seconds
            ? (seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be a positive number of seconds"))
            : DefaultTimeout;
        using var session = sessions.Open(new SessionOptions(options.Host, null, Verbose: false, DryRun: false, timeout));
        if (!session.Host.HasCredentials)
        {
            throw new AuthException($"no stored login for host '{session.Host.HostName}'; run bb auth login --host {session.Host.HostName}");
        }

        var listener = new TcpListener(IPAddress.Loopback, options.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new CliException($"cannot listen on 127.0.0.1:{options.Port}: {Describe(e)} (choose another --port)");
        }

        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            var server = new ProxyServer(session.Http, secret, io.Error, time);

            // The secret is printed here, once, on stdout (for scripts: the first line is the URL to use).
            io.Out.WriteLine($"http://127.0.0.1:{port}/{secret}/");
            io.Out.WriteLine($"{ProxyServer.SecretHeader}: {secret}");
            io.Out.Flush();
            io.Error.WriteLine(
                $"bb proxy: forwarding http://127.0.0.1:{port}/ to {session.Http.BaseAddress!.AbsoluteUri} as host '{session.Host.HostName}'. "
                + $"Use the URL above, or send the {ProxyServer.SecretHeader} header. Ctrl+C stops.");
            io.Error.Flush();

            // SIGTERM (kill, service managers, a script's background job, which has SIGINT ignored) stops
            // it as cleanly as Ctrl+C; it is the ordinary way to end a server, so it exits 0.
            var terminated = false;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var onTerm = OnSigterm(() =>
            {
                terminated = true;
                stop.Cancel();
            });
            await server.RunAsync(listener, stop.Token).ConfigureAwait(false);
            io.Error.WriteLine("bb proxy: stopped");
            return terminated && !ct.IsCancellationRequested ? ExitCodes.Ok : ExitCodes.Cancelled;
        }
        finally
        {
            listener.Dispose();
        }
    }

    private static PosixSignalRegistration? OnSigterm(Action stop)
    {
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "the port is in use",
        SocketError.AccessDenied => "permission denied",
        _ => e.SocketErrorCode.ToString(),
    };
}
