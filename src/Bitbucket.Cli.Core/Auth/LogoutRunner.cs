using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary><c>bb auth logout</c>: removes a stored account with its token and secrets.</summary>
internal sealed class LogoutRunner(ConsoleIO io, ConfigStore store)
{
    /// <param name="host">The <c>--host</c> value; else <c>BB_HOST</c>, else the default host (<see cref="CredentialResolver.HostName"/>).</param>
    /// <param name="account">The account to remove; the host's default account when null.</param>
    public Task<int> LogoutAsync(string? host, string? account)
    {
        var name = CredentialResolver.HostName(store.Load(), io.Environment, host);
        var removed = store.RemoveAccount(name, account);
        io.Error.WriteLine($"✓ Logged out of {name} ({removed}); its token and secret are removed from {store.FilePath}");
        return Task.FromResult(ExitCodes.Ok);
    }
}
