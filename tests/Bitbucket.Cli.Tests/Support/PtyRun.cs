using System.Diagnostics;
using System.Text;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>
/// Runs the built <c>bb</c> on a pseudo-terminal (Python's pty module: stdin, stdout and stderr are the
/// terminal), the way a person runs it, and returns everything it wrote to the terminal, byte for byte.
/// Needs no terminal of its own: the pty is created here.
/// </summary>
public static class PtyRun
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    private const string Script = """
        import os, pty, sys
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(sys.argv[1], sys.argv[1:])
        typed = os.environ.get("PTY_TYPED", "")
        if typed:
            os.write(fd, typed.encode())
        out = bytearray()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
        _, status = os.waitpid(pid, 0)
        sys.stdout.buffer.write(bytes(out))
        sys.stdout.flush()
        sys.exit(os.waitstatus_to_exitcode(status))
        """;

    /// <summary>Runs <c>bb <paramref name="args"/></c> with <paramref name="bb"/>'s isolated config and environment, TERM=xterm.</summary>
    public static async Task<(int ExitCode, string Terminal)> RunAsync(BbProcess bb, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("env");
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(BbProcess.BbDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("BB_", StringComparison.Ordinal) || key is "NO_COLOR" or "BROWSER" or "XDG_CONFIG_HOME")
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["BB_CONFIG_DIR"] = bb.ConfigDir;
        start.Environment["HOME"] = bb.Home;
        start.Environment["TERM"] = "xterm";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in bb.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bb {string.Join(' ', args)} on a pty did not finish");
        }

        var terminal = await stdout;
        Assert.True((await stderr).Length == 0, "the pty runner itself failed: " + await stderr);
        return (process.ExitCode, terminal);
    }
}
