using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>A <see cref="ConsoleIO"/> over memory: piped stdout and stderr, no terminal, an empty environment.</summary>
internal sealed class TestConsole
{
    private readonly MemoryStream outStream = new();
    private readonly StringWriter error = new();

    public TestConsole()
    {
        var output = new StreamWriter(outStream, new System.Text.UTF8Encoding(false)) { AutoFlush = true };
        IO = new ConsoleIO
        {
            Out = output,
            OutStream = outStream,
            Error = error,
            In = new StringReader(string.Empty),
            Environment = static _ => null,
        };
    }

    public ConsoleIO IO { get; }

    public string Out => System.Text.Encoding.UTF8.GetString(outStream.ToArray());

    public string Error => error.ToString();
}
