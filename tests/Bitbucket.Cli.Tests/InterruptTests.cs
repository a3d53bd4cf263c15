using System.Diagnostics;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// bb runs Cocona without a generic host (BbHost), so Ctrl+C is bb's own: the first SIGINT cancels the
/// running command, which ends with "bb: cancelled" and exit 130 and writes nothing.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class InterruptTests(ProviderFixture provider)
{
    /// <param name="startedWithSigintIgnored">
    /// True: as when the test run itself was started from a background job, whose children inherit
    /// SIGINT ignored; the test must not depend on that.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ctrl_c_during_login_cancels_it_with_exit_130_and_stores_nothing(bool startedWithSigintIgnored)
    {
        using var bb = new BbProcess { StartWithSigintIgnored = startedWithSigintIgnored };
        bb.Environment["BB_CONSUMER_SECRET"] = ProviderFixture.ConsumerSecret;
        using var process = bb.Start(["auth", "login", "--host", "local", "--api-url", provider.ApiUrl, "--consumer-key", ProviderFixture.ConsumerKey, "--no-browser", "--timeout", "60"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new List<string>();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var killOnTimeout = guard.Token.Register(() => process.Kill(entireProcessTree: true)); // a failed run leaves no bb behind

        // Wait until bb is waiting for the browser: the request token has been fetched, the listener is up.
        while (await process.StandardError.ReadLineAsync(guard.Token) is { } line)
        {
            stderr.Add(line);
            if (line.Contains("Waiting for the browser", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Contains(stderr, l => l.Contains("Waiting for the browser", StringComparison.Ordinal));
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(guard.Token);
            Assert.Equal(0, kill.ExitCode);
        }

        stderr.AddRange((await process.StandardError.ReadToEndAsync(guard.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync(guard.Token);
        await stdout;

        Assert.Equal(130, process.ExitCode);
        Assert.Equal("bb: cancelled", stderr[^1]);
        Assert.False(File.Exists(Path.Combine(bb.ConfigDir, "hosts.json")));
    }
}
