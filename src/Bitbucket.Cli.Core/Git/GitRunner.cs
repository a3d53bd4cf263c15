using System.Diagnostics;
using System.Text;

namespace Bitbucket.Cli.Core.Git;

/// <summary>What one git process said: its exit status and its output.</summary>
internal sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Ok => ExitCode == 0;

    /// <summary>The output's first line, without the line end.</summary>
    public string FirstLine => Output.Split('\n', 2)[0].TrimEnd('\r');
}

/// <summary>
/// Runs the user's own <c>git</c> (found on PATH) with the user's configuration, in a directory. bb
/// never hands git a credential and never prints what git would prompt for: a failure is one line
/// made of git's own last error line, with git's exit status (<see cref="GitException"/>).
/// </summary>
/// <param name="environment">Variables set for git on top of bb's own environment (tests isolate git's configuration with them).</param>
internal sealed class GitRunner(string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
{
    /// <summary>The directory git runs in (the current directory when null).</summary>
    public string? WorkingDirectory { get; } = workingDirectory;

    /// <summary>Runs git and returns whatever it said; null when git cannot be started at all (not installed).</summary>
    public GitResult? TryRun(params string[] args)
    {
        try
        {
            return RunAsync(args, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (GitException)
        {
            return null;
        }
    }

    /// <summary>Runs git; a non-zero exit is a <see cref="GitException"/> carrying git's exit status and last error line.</summary>
    public async Task<string> OutputAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await RunAsync(args, ct).ConfigureAwait(false);
        return result.Ok ? result.Output : throw Failure(args, result);
    }

    /// <summary>One line for a failed git run: <c>git fetch: fatal: …</c>, with git's exit status.</summary>
    public static GitException Failure(IReadOnlyList<string> args, GitResult result)
    {
        var line = result.Error.Split('\n')
            .Select(l => l.Trim())
            .LastOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
            ?? result.Error.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0)
            ?? "exited with status " + result.ExitCode;
        var verb = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "git";
        return new GitException($"git {verb}: {RemoteUrl.Redact(line)}", result.ExitCode == 0 ? ExitCodes.Error : result.ExitCode);
    }

    public async Task<GitResult> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (WorkingDirectory is not null)
        {
            start.WorkingDirectory = WorkingDirectory;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitException("git could not be started", ExitCodes.Error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GitException("git could not be started: " + e.Message, ExitCodes.Error);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                throw;
            }

            return new GitResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }
}

/// <summary>A git failure: one line, and git's exit status as bb's exit code.</summary>
internal sealed class GitException(string message, int exitCode) : CliException(message, exitCode);
