using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary><c>bb auth switch</c>: which stored host, and which account on it, commands use by default.</summary>
internal sealed class SwitchRunner(ConsoleIO io, ConfigStore store)
{
    /// <param name="host">Make this host the default (else the host in use: <c>BB_HOST</c> or the default host).</param>
    /// <param name="account">Make this account the host's default; without it, a host with two accounts switches to the other one.</param>
    public Task<int> SwitchAsync(string? host, string? account)
    {
        string? chosenHost = null, chosenAccount = null;
        store.Update(config =>
        {
            var target = config.GetHost(host ?? CredentialResolver.HostName(config, io.Environment, null));
            if (target.Accounts.IsEmpty)
            {
                throw new AuthException($"not logged in to {target.Name}; run bb auth login --host {target.Name}");
            }

            var name = account ?? Other(target, host is not null);
            var updated = target.WithDefaultAccount(name);
            (chosenHost, chosenAccount) = (updated.Name, updated.DefaultAccount);
            var next = config.WithHost(updated);
            return host is null ? next : next.WithDefaultHost(updated.Name);
        });

        io.Error.WriteLine($"✓ Switched to {chosenHost} as {chosenAccount}");
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>
    /// With no account named: the host's default when only the host is being switched; else the one
    /// other account (gh's toggle); several others must be named.
    /// </summary>
    private static string Other(HostConfig host, bool switchingHost)
    {
        if (switchingHost || host.Accounts.Count == 1)
        {
            return host.DefaultAccount!;
        }

        var others = host.Accounts.Keys.Where(k => !BbConfig.NameComparer.Equals(k, host.DefaultAccount)).Order(StringComparer.Ordinal).ToList();
        return others.Count == 1
            ? others[0]
            : throw new UsageException($"host '{host.Name}' has {host.Accounts.Count} accounts: name one with --account ({string.Join(", ", host.Accounts.Keys.Order(StringComparer.Ordinal))})");
    }
}
