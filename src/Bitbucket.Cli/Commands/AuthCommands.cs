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
