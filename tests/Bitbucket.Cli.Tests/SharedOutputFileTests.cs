using System.Diagnostics;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// bb's output to a file the shell opened (<c>{ bb …; echo …; } &gt; log</c>) must move the offset the
/// two share, or the shell's next write lands on top of it. Found by the README demo, whose log lost
/// every bb line but the last command's.
/// </summary>
public sealed class SharedOutputFileTests
{
    [Fact]
    public async Task Output_to_a_file_the_shell_shares_is_not_overwritten_by_the_shells_next_line()
    {
        using var bb = new BbProcess();
        var log = Path.Combine(bb.Home, "shared.log");
        var script = $"{{ echo before; dotnet '{BbProcess.BbDll}' --version; dotnet '{BbProcess.BbDll}' nosuch-command; echo after; }} > '{log}' 2>&1";
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["BB_CONFIG_DIR"] = bb.ConfigDir;
        start.Environment["HOME"] = bb.Home;

        using var process = Process.Start(start)!;
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);

        var lines = (await File.ReadAllTextAsync(log)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("before", lines[0]);
        Assert.StartsWith("bb ", lines[1], StringComparison.Ordinal); // --version, on stdout
        Assert.StartsWith("bb: ", lines[2], StringComparison.Ordinal); // the unknown command, on stderr
        Assert.Equal("after", lines[^1]);
    }
}
