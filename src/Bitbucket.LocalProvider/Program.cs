using System.Runtime.InteropServices;
using Bitbucket.LocalProvider;

// bb-local-provider: see docs/local-provider.md. Exit codes: 0 stopped cleanly, 1 could not start, 2 bad usage.
if (args is ["approve", var authorizeUrl])
{
    return await ScriptedBrowser.ApproveAsync(authorizeUrl, Console.Error);
}

ParsedCommandLine parsed;
try
{
    parsed = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
}
catch (CommandLineException e)
{
    Console.Error.WriteLine($"bb-local-provider: {e.Message}");
    return 2;
}

if (parsed.Help)
{
    Console.Out.WriteLine(CommandLine.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

RunningProvider provider;
try
{
    provider = await LocalProviderServer.StartAsync(parsed.Options, stop.Token);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bb-local-provider: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
    return 2;
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"bb-local-provider: {e.Message}");
    return 2;
}
catch (Exception e) when (e is IOException or InvalidOperationException)
{
    Console.Error.WriteLine($"bb-local-provider: cannot start: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    return 0;
}

await using (provider)
{
    Console.Out.WriteLine($"listening on {provider.BaseUri.GetLeftPart(UriPartial.Authority)}");
    Console.Out.Flush();

    if (parsed.ExitOnStdinClose)
    {
        _ = Task.Run(async () =>
        {
            await using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await stdin.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }

            await stop.CancelAsync().ConfigureAwait(false);
        });
    }

    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;
