using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bitbucket.Cli.OAuth.Tests.Interop;

/// <summary>
/// Runs the Python scripts in tests/interop with Debian's /usr/bin/python3 (override with BB_PYTHON).
/// A missing interpreter or oauthlib fails the test with a clear message: CI installs them, so a skip
/// would only hide a broken CI image.
/// </summary>
internal static class PythonInterop
{
    public const string InstallHint =
        "Install it with: apt-get install -y python3-oauthlib python3-jwt python3-cryptography (or point BB_PYTHON at an interpreter that has oauthlib).";

    public static string Python => Environment.GetEnvironmentVariable("BB_PYTHON") is { Length: > 0 } python ? python : "/usr/bin/python3";

    public static string Script(string name)
    {
        var path = Path.Combine(InteropDirectory(), name);
        Assert.True(File.Exists(path), $"Interop script not found: {path}");
        return path;
    }

    public static ProcessStartInfo StartInfo(string script, params string[] arguments)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"The OAuth interop suite needs {Python} with oauthlib, and it does not exist. {InstallHint}");
        }

        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(Script(script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return info;
    }

    /// <summary>Pipes JSON lines through verify.py and returns its stdout lines.</summary>
    public static async Task<VerifierResult> VerifyAsync(IReadOnlyList<string> jsonLines)
    {
        using var process = Process.Start(StartInfo("verify.py"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var writer = Task.Run(async () =>
        {
            try
            {
                foreach (var line in jsonLines)
                {
                    await process.StandardInput.WriteLineAsync(line);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The verifier exited early (e.g. oauthlib missing); its stdout says why.
            }
        });
        await Task.WhenAll(writer, stdout, stderr);
        await process.WaitForExitAsync();

        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode == 3)
        {
            Assert.Fail($"verify.py could not run oauthlib: {string.Join(' ', lines)} (BB_PYTHON selects another interpreter.)");
        }

        return new VerifierResult(lines, stderr.Result, process.ExitCode);
    }

    private static string InteropDirectory([CallerFilePath] string thisFile = "")
    {
        // Walk up from the test binaries to the repository; fall back to this source file's location.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "verify.py")))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "interop"));
    }
}

internal sealed record VerifierResult(IReadOnlyList<string> Lines, string Stderr, int ExitCode)
{
    public IEnumerable<string> Ok => Lines.Where(l => l.StartsWith("ok ", StringComparison.Ordinal)).Select(l => l[3..]);

    public IReadOnlyList<string> Mismatches => [.. Lines.Where(l => l.StartsWith("mismatch ", StringComparison.Ordinal))];

    public string Summary => Lines.LastOrDefault(l => l.StartsWith("summary ", StringComparison.Ordinal))
        ?? $"(no summary line; exit {ExitCode}; stderr: {Stderr})";
}
