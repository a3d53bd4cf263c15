using Bitbucket.Cli.Core.Proxy;
using Cocona;
using Cocona.Application;

namespace Bitbucket.Cli.Commands;

/// <summary><c>bb proxy</c>: a local endpoint that forwards to the host's API with the stored login's authentication.</summary>
internal sealed class ProxyCommand(ProxyRunner runner, ICoconaAppContextAccessor context)
{
    [Command("proxy", Description = "Forward http://127.0.0.1:PORT/SECRET/… to the host's API, authenticated with the stored login (Ctrl+C stops)")]
    public Task<int> Proxy(
        [Option("port", Description = "Port on 127.0.0.1 to listen on (default: a free one)", ValueName = "N")] int port = 0,
        [Option("host", Description = "Stored host to forward to (default: BB_HOST, else the default host)", ValueName = "NAME")] string? host = null,
        [Option("timeout", Description = "Give up on one request after this many seconds, retries included (default 100)", ValueName = "SECONDS")] double? timeout = null)
        => runner.RunAsync(new ProxyOptions(port, host, timeout), context.Current?.CancellationToken ?? CancellationToken.None);
}
