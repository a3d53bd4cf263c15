using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>
/// <c>bb auth token</c>: prints the login's token for scripts — a bearer or API token as stored, an
/// OAuth 2.0 access token refreshed first when it has expired. OAuth 1.0a has no token to hand out.
/// </summary>
internal sealed class TokenRunner(ConsoleIO io, ConfigStore store, ApiSessions sessions)
{
    public async Task<int> TokenAsync(string? host, string? account, CancellationToken cancellationToken)
    {
        var resolved = CredentialResolver.Resolve(store.Load(), io.Environment, host, null, account);
        if (!resolved.HasCredentials)
        {
            throw ApiSessions.NotLoggedIn(resolved.HostName);
        }

        if (resolved.Scheme == AuthScheme.OAuth1)
        {
            throw new CliException(
                $"the login to {resolved.HostName}{(resolved.Username is null ? string.Empty : $" ({resolved.Username})")} is OAuth 1.0a: "
                + "each request is signed with secrets that never leave bb, so there is no token to print; "
                + "for one request's Authorization header use bb auth sign METHOD URL");
        }

        var token = await sessions.CurrentTokenAsync(resolved, cancellationToken).ConfigureAwait(false);
        await io.Out.WriteLineAsync(token).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
