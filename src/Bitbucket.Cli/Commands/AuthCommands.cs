using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;
using Cocona;
using Cocona.Application;

namespace Bitbucket.Cli.Commands;

/// <summary><c>bb auth …</c>: thin Cocona methods over the runners in Bitbucket.Cli.Core.Auth.</summary>
internal sealed class AuthCommands(LoginRunner login, StatusRunner status, LogoutRunner logout, ICoconaAppContextAccessor context)
{
    private CancellationToken Cancellation => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("login", Description = "Log in: OAuth 2.0 (bitbucket.org) or OAuth 1.0a approved in the browser (the callback is captured on 127.0.0.1), or a token from stdin (--with-token)")]
    public Task<int> Login(LoginOptions options) => login.LoginAsync(options, Cancellation);

    [Command("status", Description = "Check every stored login against its API (exit 4 if one is refused)")]
    public Task<int> Status([Option("host", Description = "Only this host", ValueName = "NAME")] string? host = null)
        => status.StatusAsync(host, Cancellation);

    [Command("logout", Description = "Remove a stored login (its token and secrets)")]
    public Task<int> Logout(
        [Option("host", Description = "Host to log out of (default: BB_HOST, else the default host)", ValueName = "NAME")] string? host = null,
        [Option("account", Description = "Account to remove (default: the host's default account)", ValueName = "USER")] string? account = null)
        => logout.LogoutAsync(host, account);

    [Command("switch", Description = "Choose the default host (--host) and the account used on it (--account; without it, the other of two accounts)")]
    public Task<int> Switch(
        [FromService] ConsoleIO io,
        [FromService] ConfigStore store,
        [Option("host", Description = "Host to make the default", ValueName = "NAME")] string? host = null,
        [Option("account", Description = "Account to use on that host", ValueName = "USER")] string? account = null)
        => new SwitchRunner(io, store).SwitchAsync(host, account);

    [Command("token", Description = "Print the login's bearer or OAuth 2.0 access token (refreshed when expired) for scripts")]
    public Task<int> Token(
        [FromService] ConsoleIO io,
        [FromService] ConfigStore store,
        [FromService] ApiSessions sessions,
        [Option("host", Description = "Host (default: BB_HOST, else the default host)", ValueName = "NAME")] string? host = null,
        [Option("account", Description = "Account (default: the host's default account)", ValueName = "USER")] string? account = null)
        => new TokenRunner(io, store, sessions).TokenAsync(host, account, Cancellation);

    [Command("sign", Description = "Print a signed OAuth 1.0a Authorization header for one request, e.g. curl -H \"Authorization: $(bb auth sign GET URL)\" URL")]
    public Task<int> Sign(
        [Argument("method", Description = "HTTP method of the request (GET, POST, …)")] string method,
        [Argument("url", Description = "The exact URL the request goes to, query included")] string url,
        [FromService] SignRunner sign,
        [Option("raw-field", new[] { 'f' }, Description = "A form field the request sends: key=value (needs --form)", ValueName = "KEY=VALUE")] string[]? fields = null,
        [Option("form", Description = "The body is application/x-www-form-urlencoded with the -f fields (they are signed)")] bool form = false,
        [Option("host", Description = "Stored host whose login signs (default: BB_HOST, else the host whose API URL matches)", ValueName = "NAME")] string? host = null)
        => sign.SignAsync(new SignOptions(method, url, fields ?? [], form, host));
}
