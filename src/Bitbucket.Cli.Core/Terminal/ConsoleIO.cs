using Bitbucket.Cli.Core.Config;

namespace Bitbucket.Cli.Core.Terminal;

/// <summary>
/// The process's streams and environment, in one object so that commands can be run and tested
/// without touching the real console (gh's IOStreams).
/// </summary>
internal sealed class ConsoleIO
{
    public required TextWriter Out { get; init; }

    public required Stream OutStream { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    public bool StdoutIsTty { get; init; }

    public bool StderrIsTty { get; init; }

    public bool StdinIsTty { get; init; }

    public required Func<string, string?> Environment { get; init; }

    /// <summary>An environment variable, with empty treated as unset.</summary>
    public string? Env(string name) => EnvironmentVariables.Read(Environment, name);

    public bool Debug => Env("BB_DEBUG") is { } v && v != "0";

    public static ConsoleIO FromProcess()
    {
        var stdout = Console.OpenStandardOutput();
        return new ConsoleIO
        {
            OutStream = stdout,
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            StdoutIsTty = !Console.IsOutputRedirected,
            StderrIsTty = !Console.IsErrorRedirected,
            StdinIsTty = !Console.IsInputRedirected,
            Environment = System.Environment.GetEnvironmentVariable,
        };
    }

    /// <summary>Reads a secret from the terminal without echoing it.</summary>
    public string? ReadSecret(string prompt)
    {
        if (!StdinIsTty)
        {
            return In.ReadLine();
        }

        Error.Write(prompt);
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0)
                {
                    buffer.Length--;
                }

                continue;
            }

            buffer.Append(key.KeyChar);
        }

        Error.WriteLine();
        return buffer.ToString();
    }
}
