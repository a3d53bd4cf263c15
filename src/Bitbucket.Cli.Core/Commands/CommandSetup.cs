using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;
using Cocona.Application;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>What every API command derives from its <see cref="CommonOptions"/> before it sends anything.</summary>
internal static class CommandSetup
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>The session the options ask for; a bad <c>--timeout</c> is a usage error.</summary>
    public static SessionOptions Session(CommonOptions common, ConsoleIO io)
    {
        var timeout = common.Timeout is { } seconds
            ? (seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be a positive number of seconds"))
            : DefaultTimeout;
        return new SessionOptions(common.Host, common.ApiUrl, common.Verbose || io.Debug, common.DryRun, timeout);
    }

    public static OutputSettings Output(CommonOptions common, ConsoleIO io, IReadOnlyList<string> columns) =>
        OutputSettings.ForTerminal(io.StdoutIsTty, io.Environment("NO_COLOR"), common.Jsonl, common.Query, common.Format, columns);

    /// <summary>Ctrl+C cancels the running command through Cocona's context.</summary>
    public static CancellationToken Cancellation(ICoconaAppContextAccessor? context) =>
        context?.Current?.CancellationToken ?? CancellationToken.None;
}
