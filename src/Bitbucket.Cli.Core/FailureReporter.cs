using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Terminal;
using Polly.Timeout;

namespace Bitbucket.Cli.Core;

/// <summary>
/// The one place that turns any exception into one stderr line (<c>bb: …</c>) and an exit code
/// (<see cref="ExitCodes"/>). Stack traces appear only with <c>BB_DEBUG=1</c>; messages never carry
/// secrets (the types that hold them redact). An API error body becomes its line in
/// <see cref="Output.ApiErrorLine"/> before it gets here.
/// </summary>
internal static class FailureReporter
{
    /// <summary>Key in <see cref="Exception.Data"/> naming the origin a network failure concerns.</summary>
    internal const string TargetKey = "bb.target";

    public static int Report(Exception error, ConsoleIO io)
    {
        var (message, code) = Describe(error);
        io.Error.WriteLine($"bb: {message}");
        if (io.Debug)
        {
            io.Error.WriteLine(error.ToString());
        }

        return code;
    }

    public static (string Message, int ExitCode) Describe(Exception error) => Unwrap(error) switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        Cocona.Command.Binder.ParameterBinderException binder => (Binding(binder), ExitCodes.Usage),
        ConfigException config => (config.Message, ExitCodes.Error),
        TimeoutRejectedException timeout => ($"the request timed out after {timeout.Timeout.TotalSeconds:0.#} s (raise it with --timeout)", ExitCodes.Error),
        HttpRequestException http => (Network(http), ExitCodes.Error),
        OperationCanceledException => ("cancelled", ExitCodes.Cancelled),
        JsonException => ("the server's response is not valid JSON", ExitCodes.Error),
        AuthenticationException tls => ($"TLS handshake failed: {tls.Message}", ExitCodes.Error),
        IOException io => (Transfer(io), ExitCodes.Error),
        InvalidDataException data when data.Data[TargetKey] is string from => ($"the response from {from} could not be decompressed", ExitCodes.Error),
        InvalidOperationException invalid when Output.JsonQuery.IsInvalidUtf8(invalid) => ("the server's response is not valid UTF-8 text", ExitCodes.Error),
        _ => ($"unexpected error: {error.Message} (set BB_DEBUG=1 for details)", ExitCodes.Error),
    };

    /// <summary>Cocona's binding failures, phrased for people (they are usage errors: exit 2).</summary>
    private static string Binding(Cocona.Command.Binder.ParameterBinderException error) => error.Result switch
    {
        Cocona.Command.Binder.ParameterBinderResult.InsufficientArgument when error.Argument is { } argument =>
            $"missing argument '{argument.Name}' (see --help)",
        Cocona.Command.Binder.ParameterBinderResult.InsufficientOption when error.Option is { } option =>
            $"missing option --{option.Name} (see --help)",
        _ when error.Option is { } option => $"invalid value for --{option.Name}: {error.Message}",
        _ when error.Argument is { } argument => $"invalid value for '{argument.Name}': {error.Message}",
        _ => error.Message,
    };

    /// <summary>Refit wraps transport failures (and bb's own, from its handlers) in its own exception; report the inner one.</summary>
    private static Exception Unwrap(Exception error) =>
        error is CliException or ConfigException || error.InnerException is null
            ? error
            : FindInner<CliException>(error) ?? FindInner<HttpRequestException>(error) ?? (Exception?)FindInner<TimeoutRejectedException>(error) ?? error;

    private static string Network(HttpRequestException error)
    {
        var socket = FindInner<SocketException>(error);
        var target = error.Data[TargetKey] as string;
        var where = target is null ? "the server" : target;
        return (error.HttpRequestError, socket?.SocketErrorCode) switch
        {
            (_, SocketError.ConnectionRefused) => $"cannot connect to {where}: connection refused",
            (HttpRequestError.NameResolutionError, _) or (_, SocketError.HostNotFound) => $"cannot resolve the host of {where}",
            (_, SocketError.ConnectionReset) => $"the connection to {where} was reset",
            (_, SocketError.TimedOut) => $"connecting to {where} timed out",
            (HttpRequestError.ResponseEnded, _) => $"{where} closed the connection before the response was complete",
            (HttpRequestError.SecureConnectionError, _) => $"TLS connection to {where} failed" + (FindInner<Http.UntrustedCertificateException>(error) is { } refused ? ": " + refused.Message : ""),
            (HttpRequestError.InvalidResponse, _) => $"{where} did not answer with valid HTTP",
            (HttpRequestError.ConnectionError, _) => $"cannot connect to {where}: {Innermost(error).Message}",
            _ => $"network error talking to {where}: {Innermost(error).Message}",
        };
    }

    /// <summary>
    /// A body that broke off while it was read (the runtime's own messages may be bare resource keys
    /// in a trimmed build, so the common cases are phrased here).
    /// </summary>
    private static string Transfer(IOException error)
    {
        var where = error.Data[TargetKey] as string ?? "the server";
        return (error as HttpIOException)?.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => $"{where} closed the connection before the response was complete",
            _ when FindInner<SocketException>(error)?.SocketErrorCode == SocketError.ConnectionReset => $"the connection to {where} was reset",
            HttpRequestError.InvalidResponse => $"{where} sent an invalid response",
            { } other => $"the response from {where} broke off ({other})",
            null => $"I/O error: {error.Message}",
        };
    }

    private static T? FindInner<T>(Exception error) where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }
}
