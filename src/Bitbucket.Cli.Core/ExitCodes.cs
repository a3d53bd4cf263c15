namespace Bitbucket.Cli.Core;

/// <summary>The documented exit codes of <c>bb</c> (README "Exit codes").</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The API answered with an error, or the network failed.</summary>
    public const int Error = 1;

    /// <summary>The command was called wrongly: unknown option, missing argument, bad value.</summary>
    public const int Usage = 2;

    /// <summary>Authentication is needed, or the server refused the credentials.</summary>
    public const int Auth = 4;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

/// <summary>A failure already phrased for the user: one line, and the exit code to leave with.</summary>
public class CliException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Authentication is missing or was refused (exit 4).</summary>
public sealed class AuthException(string message) : CliException(message, ExitCodes.Auth);
