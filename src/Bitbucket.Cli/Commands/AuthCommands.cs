using Bitbucket.Cli.Core.Auth;
using Cocona;
using Cocona.Application;

namespace Bitbucket.Cli.Commands;

/// <summary><c>bb auth …</c>: thin Cocona methods over the runners in Bitbucket.Cli.Core.Auth.</summary>
internal sealed class AuthCommands(LoginRunner login, StatusRunner status, LogoutRunner logout, ICoconaAppContextAccessor context)
{
    private CancellationToken Cancellation => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("login", Description = "Log in with OAuth 1.0a: approve in the browser, the verifier is captured on 127.0.0.1")]
    public Task<int> Login(LoginOptions options) => login.LoginAsync(options, Cancellation);

    [Command("status", Description = "Check every stored login against its API (exit 4 if one is refused)")]
    public Task<int> Status([Option("host", Description = "Only this host", ValueName = "NAME")] string? host = null)
        => status.StatusAsync(host, Cancellation);

    [Command("logout", Description = "Remove a stored login (its token and secrets)")]
    public Task<int> Logout(
        [Option("host", Description = "Host to log out of (default: BB_HOST, else the default host)", ValueName = "NAME")] string? host = null,
        [Option("account", Description = "Account to remove (default: the host's default account)", ValueName = "USER")] string? account = null)
        => logout.LogoutAsync(host, account);
}
