using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bitbucket.LocalProvider.Tests;

/// <summary>The real <c>bb-local-provider</c> process: its one stdout line, its log and how it stops.</summary>
public sealed partial class ProgramTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bb-local-provider.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("BB_LOCAL_CONSUMER_SECRET");
        return Process.Start(info)!;
    }

    private static async Task<Uri> ReadListeningLineAsync(Process process)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        var line = await process.StandardOutput.ReadLineAsync(guard.Token);
        Assert.NotNull(line);
        Assert.Matches(ListeningLine(), line);
        return new Uri(line["listening on ".Length..]);
    }

    private static async Task<int> WaitForExitAsync(Process process)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        await process.WaitForExitAsync(guard.Token);
        return process.ExitCode;
    }

    [Fact]
    public async Task Prints_one_line_logs_to_stderr_and_stops_on_sigterm()
    {
        using var process = Start("--test-hooks");
        try
        {
            var baseUri = await ReadListeningLineAsync(process);
            using (var http = new HttpClient { BaseAddress = baseUri })
            using (var response = await http.GetAsync("/2.0/user"))
            {
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                Assert.Equal(0, await WaitForExitAsync(kill));
            }

            Assert.Equal(0, await WaitForExitAsync(process));
            Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
            Assert.Equal("GET /2.0/user 401", (await process.StandardError.ReadToEndAsync()).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Stops_when_stdin_closes_if_asked()
    {
        using var process = Start("--exit-on-stdin-close", "--quiet");
        try
        {
            await ReadListeningLineAsync(process);
            process.StandardInput.Close();
            Assert.Equal(0, await WaitForExitAsync(process));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Bad_usage_exits_2_with_one_line_on_stderr()
    {
        using var process = Start("--bogus");
        Assert.Equal(2, await WaitForExitAsync(process));
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
        Assert.Equal("bb-local-provider: unknown argument '--bogus' (see --help)", (await process.StandardError.ReadToEndAsync()).Trim());
    }

    [Fact]
    public async Task Data_center_without_a_key_exits_2_naming_both_ways_to_give_one()
    {
        using var process = Start("--flavor", "datacenter");
        Assert.Equal(2, await WaitForExitAsync(process));
        var error = (await process.StandardError.ReadToEndAsync()).Trim();
        Assert.StartsWith("bb-local-provider: Data Center consumers sign with RSA-SHA1", error);
        Assert.Contains("--rsa-public-key", error);
        Assert.Contains("--rsa-private-key-out", error);
    }

    [Fact]
    public async Task Data_center_with_a_generated_key_serves_application_properties_under_the_context_path()
    {
        var directory = Directory.CreateTempSubdirectory("bb-provider-program-");
        var keyFile = Path.Combine(directory.FullName, "consumer.pem");
        using var process = Start("--flavor", "datacenter", "--context-path", "/bitbucket", "--rsa-private-key-out", keyFile, "--quiet");
        try
        {
            var baseUri = await ReadListeningLineAsync(process);
            Assert.Contains("PRIVATE KEY", await File.ReadAllTextAsync(keyFile));
            using var http = new HttpClient { BaseAddress = baseUri };
            Assert.Contains("\"version\":\"9.2.0\"", await http.GetStringAsync("/bitbucket/rest/api/1.0/application-properties"));
        }
        finally
        {
            process.Kill();
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"^listening on http://127\.0\.0\.1:[1-9][0-9]*$")]
    private static partial Regex ListeningLine();
}
