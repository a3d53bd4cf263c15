using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>
/// A running <c>bb proxy</c>: the URL and secret it printed, its stderr so far, and a clean stop with
/// SIGINT (as Ctrl+C sends). Disposing kills it if a test failed before stopping it.
/// </summary>
public sealed class RunningProxy : IAsyncDisposable
{
    // A hang guard, not a performance assertion.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    private readonly Process process;
    private readonly StringBuilder stderr = new();
    private readonly Task stderrDone;
    private readonly Task<string> stdoutRest;

    private RunningProxy(Process process, Uri url, string secret)
    {
        this.process = process;
        Url = url;
        Secret = secret;
        stdoutRest = process.StandardOutput.ReadToEndAsync();
        stderrDone = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }
            }
        });
    }

    /// <summary>The URL with the secret as its first path segment, ending with '/'.</summary>
    public Uri Url { get; }

    public string Secret { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>: the proxy without the secret.</summary>
    public Uri Root => new(Url.GetLeftPart(UriPartial.Authority) + "/");

    public int Port => Url.Port;

    public int ProcessId => process.Id;

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>bb proxy</c> with <paramref name="args"/> and waits for the two lines it prints on stdout.</summary>
    public static async Task<RunningProxy> StartAsync(BbProcess bb, params string[] args)
    {
        var process = bb.Start(["proxy", .. args]);
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            var urlLine = await process.StandardOutput.ReadLineAsync(guard.Token);
            var headerLine = await process.StandardOutput.ReadLineAsync(guard.Token);
            if (urlLine is null || headerLine is null)
            {
                var error = await process.StandardError.ReadToEndAsync(guard.Token);
                throw new InvalidOperationException("bb proxy did not start: " + error);
            }

            var url = new Uri(urlLine.Trim());
            var secret = url.AbsolutePath.Trim('/');
            Assert.Equal($"X-BB-Proxy-Secret: {secret}", headerLine.Trim());
            return new RunningProxy(process, url, secret);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGINT (Ctrl+C) and waits for the exit; returns the exit code and everything bb wrote.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> InterruptAsync() => SignalAsync("-INT");

    /// <summary>Sends <paramref name="signal"/> (<c>-INT</c>, <c>-TERM</c>) and waits for the exit.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> SignalAsync(string signal)
    {
        using var guard = new CancellationTokenSource(Guard);
        using (var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(guard.Token);
            Assert.Equal(0, kill.ExitCode);
        }

        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bb proxy did not stop on {signal}: " + Stderr);
        }

        await stderrDone;
        return (process.ExitCode, await stdoutRest, Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
