using System.Diagnostics;
using System.Text;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>The outcome of one <c>bb</c> run.</summary>
public sealed record BbResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the built <c>bb</c> as a real process (as users and scripts do), with an isolated config
/// directory and only the environment the test gives it.
/// </summary>
public sealed class BbProcess : IDisposable
{
    // A hang guard, not a performance assertion: generous on a loaded 2-core CI machine.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    public BbProcess()
    {
        ConfigDir = Directory.CreateTempSubdirectory("bb-test-config-").FullName;
        Home = Directory.CreateTempSubdirectory("bb-test-home-").FullName;
    }

    public string ConfigDir { get; }

    public string Home { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The tool as built by its own project (same configuration as this test run).</summary>
    public static string BbDll { get; } = FindBbDll();

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bb.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (bb.slnx) above " + AppContext.BaseDirectory);
    }

    private static string FindBbDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(FindRepoRoot(), "src", "Bitbucket.Cli", "bin", configuration, "net10.0", "bb.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the tool first: " + path);
    }

    public Task<BbResult> RunAsync(params string[] args) => RunAsync(args, stdin: null, onStderrLine: null);

    public Task<BbResult> RunAsync(IEnumerable<string> args, string? stdin, Func<string, Task>? onStderrLine) =>
        RunCoreAsync(args, stdin, onStderrLine is null ? null : (line, _) => onStderrLine(line), keepStdinOpen: false);

    /// <summary>Runs with stdin left open: <paramref name="onStderrLine"/> may answer prompts through the writer.</summary>
    public Task<BbResult> RunInteractiveAsync(IEnumerable<string> args, Func<string, TextWriter, Task> onStderrLine) =>
        RunCoreAsync(args, stdin: null, onStderrLine, keepStdinOpen: true);

    private async Task<BbResult> RunCoreAsync(IEnumerable<string> args, string? stdin, Func<string, TextWriter, Task>? onStderrLine, bool keepStdinOpen)
    {
        var start = StartInfo(args);
        start.StandardOutputEncoding = Encoding.UTF8;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        var stderrDone = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }

                if (onStderrLine is not null)
                {
                    await onStderrLine(line, process.StandardInput).ConfigureAwait(false);
                }
            }
        });

        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        if (!keepStdinOpen)
        {
            process.StandardInput.Close();
        }

        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bb {string.Join(' ', args)} did not finish: {stderr}");
        }

        await stderrDone.ConfigureAwait(false);
        return new BbResult(process.ExitCode, await stdout.ConfigureAwait(false), stderr.ToString());
    }

    /// <summary>
    /// Starts <c>bb</c> with the same isolated environment as <see cref="RunAsync(string[])"/> but hands
    /// the running process to the caller: stdout as a raw byte stream (large bodies), the pid for
    /// /proc sampling. The caller waits for it and disposes it.
    /// </summary>
    public Process Start(IEnumerable<string> args)
    {
        var start = StartInfo(args);
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    public string HostsJson => File.ReadAllText(Path.Combine(ConfigDir, "hosts.json"));

    public void Dispose()
    {
        TryDelete(ConfigDir);
        TryDelete(Home);
    }

    /// <summary>
    /// Starts bb as if from a shell's background job (<c>cmd &amp;</c>, nohup, some CI runners): with SIGINT
    /// ignored, which a child inherits. Lets a test prove it does not depend on how it was started.
    /// </summary>
    public bool StartWithSigintIgnored { get; set; }

    /// <summary>The directory bb starts in (a git checkout, for repository context); the test run's when null.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// dotnet bb.dll with redirected stdio and the isolated environment, and SIGINT at its default
    /// action whatever this test run inherited (coreutils env resets it, then execs dotnet: same pid).
    /// bb itself keeps the convention that a program started with SIGINT ignored leaves it ignored.
    /// </summary>
    private ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (StartWithSigintIgnored)
        {
            start.ArgumentList.Add("--ignore-signal=INT");
            start.ArgumentList.Add("env");
        }

        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(BbDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        ConfigureEnvironment(start);
        if (WorkingDirectory is not null)
        {
            start.WorkingDirectory = WorkingDirectory;
        }

        return start;
    }

    private void ConfigureEnvironment(ProcessStartInfo start)
    {
        // Nothing from the developer's own bb setup may leak into a test.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("BB_", StringComparison.Ordinal) || key is "NO_COLOR" or "BROWSER" or "XDG_CONFIG_HOME")
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["BB_CONFIG_DIR"] = ConfigDir;
        start.Environment["HOME"] = Home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
