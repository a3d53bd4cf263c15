using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary><c>bb auth status</c>: checks every stored login (or the one from the environment) against its API.</summary>
/// <remarks>
/// On a terminal, a readable block per host (gh's layout). Piped, one line per login, tab-separated:
/// host, account (<c>(default)</c> marked), API URL, verdict, flavour (<c>cloud</c> or <c>datacenter</c>)
/// and, for Data Center, the server version (empty when the server did not say). Fields are only ever
/// added at the end. Strings from the server pass <see cref="OneLine.Collapse"/> (no control characters).
/// </remarks>
internal sealed class StatusRunner(ConsoleIO io, ConfigStore store, ApiSessions sessions, TimeProvider time, INonceSource nonces, IReadOnlyList<ApiDescription> apis)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>One login to check, as printed: host, account, whether it is the default, where it points.</summary>
    internal sealed record Check(string Host, string Account, bool IsDefault, ResolvedHost Resolved);

    public async Task<int> StatusAsync(string? hostFilter, CancellationToken cancellationToken)
    {
        var checks = Checks(store.Load(), io.Environment, hostFilter);
        if (checks.Count == 0)
        {
            throw new AuthException(hostFilter is null ? "not logged in to any host; run bb auth login" : $"not logged in to {hostFilter}; run bb auth login --host {hostFilter}");
        }

        var exit = ExitCodes.Ok;
        string? previousHost = null;
        foreach (var check in checks)
        {
            var (verdict, code) = await VerifyAsync(check.Resolved, cancellationToken).ConfigureAwait(false);
            exit = Worse(exit, code);
            var version = check.Resolved.Flavor == ApiFlavor.DataCenter ? await VersionAsync(check.Resolved, cancellationToken).ConfigureAwait(false) : null;
            if (io.StdoutIsTty)
            {
                await WriteBlockAsync(check, verdict, version, newHost: previousHost != check.Host, first: previousHost is null).ConfigureAwait(false);
            }
            else
            {
                var flavor = ApiFlavors.ToName(check.Resolved.Flavor) + (check.Resolved.Flavor == ApiFlavor.DataCenter ? "\t" + version : "");
                var line = verdict.User is { } user ? $"✓ valid (as {user})" : "✗ " + verdict.Problem;
                await io.Out.WriteLineAsync($"{check.Host}\t{check.Account}{(check.IsDefault ? " (default)" : string.Empty)}\t{check.Resolved.ApiUrl}\t{line}\t{flavor}").ConfigureAwait(false);
            }

            previousHost = check.Host;
        }

        return exit;
    }

    /// <summary>
    /// On a terminal, gh's layout: the host, then per account a verdict line and where it points, its
    /// flavour, signature method and where the token is kept.
    /// </summary>
    private async Task WriteBlockAsync(Check check, Verdict verdict, string? version, bool newHost, bool first)
    {
        var block = new System.Text.StringBuilder();
        if (newHost)
        {
            block.Append(first ? "" : "\n").Append(check.Host).Append('\n');
        }

        var account = check.IsDefault ? $"{check.Account} (default)" : check.Account;
        block.Append(verdict.User is { } user
            ? $"  ✓ Logged in to {check.Host} as {user}"
            : $"  ✗ {check.Host}, account {account}: {verdict.Problem}").Append('\n');
        if (verdict.User is not null && check.IsDefault)
        {
            block.Append("  - Default account: yes\n");
        }

        block.Append($"  - API: {check.Resolved.ApiUrl}\n");
        block.Append($"  - Flavour: {ApiFlavors.DisplayName(check.Resolved.Flavor)}{(version is { Length: > 0 } ? " " + version : "")}\n");
        block.Append($"  - Signature method: {SignatureMethods.ToWire(check.Resolved.SignatureMethod)}\n");
        block.Append(check.Resolved.TokenSource == CredentialSource.Environment
            ? "  - Token: from BB_ACCESS_TOKEN\n"
            : $"  - Token: stored in {store.FilePath}\n");
        await io.Out.WriteAsync(block.ToString()).ConfigureAwait(false);
    }

    /// <summary>The outcome of checking one login: the user the server names, or what went wrong.</summary>
    /// <param name="User">The account name the server answered with (control characters stripped); null if not valid.</param>
    private sealed record Verdict(string? User, string Problem);

    /// <summary>
    /// With <c>BB_ACCESS_TOKEN</c> set, the one login the environment makes (resolved like any
    /// command's); otherwise every stored account, resolved from the file alone.
    /// </summary>
    internal static List<Check> Checks(BbConfig config, Func<string, string?> environment, string? hostFilter)
    {
        if (EnvironmentVariables.Read(environment, EnvironmentVariables.AccessToken) is not null)
        {
            var resolved = CredentialResolver.Resolve(config, environment, hostFilter);
            return [new Check(resolved.HostName, "(from BB_ACCESS_TOKEN)", true, resolved)];
        }

        var checks = new List<Check>();
        foreach (var host in config.Hosts.Values.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            if (hostFilter is not null && !BbConfig.NameComparer.Equals(hostFilter, host.Name))
            {
                continue;
            }

            foreach (var account in host.Accounts.Keys.Order(StringComparer.Ordinal))
            {
                var resolved = CredentialResolver.Resolve(config, static _ => null, host.Name, null, account);
                checks.Add(new Check(host.Name, account, BbConfig.NameComparer.Equals(account, host.DefaultAccount), resolved));
            }
        }

        return checks;
    }

    /// <summary>A Data Center server's version from the unauthenticated probe endpoint (control characters stripped), or empty.</summary>
    private async Task<string> VersionAsync(ResolvedHost resolved, CancellationToken cancellationToken)
    {
        var identity = ServerProbe.ProbeUrl(apis, resolved.ApiUrl) is { } probe
            ? await ServerProbe.IdentifyAsync(io, time, nonces, probe, verbose: false, cancellationToken).ConfigureAwait(false)
            : null;
        return OneLine.Collapse(identity?.Version ?? "");
    }

    /// <summary>A refused login (4) outranks one that could not be checked (1), which outranks success.</summary>
    private static int Worse(int current, int next) => Rank(next) > Rank(current) ? next : current;

    private static int Rank(int exitCode) => exitCode switch
    {
        ExitCodes.Auth => 2,
        ExitCodes.Error => 1,
        _ => 0,
    };

    /// <summary>The verdict for one login and its exit code: 0 valid, 4 refused, 1 could not check.</summary>
    private async Task<(Verdict Verdict, int ExitCode)> VerifyAsync(ResolvedHost resolved, CancellationToken cancellationToken)
    {
        try
        {
            var api = ApiSessions.ApiBase(resolved.ApiUrl);
            using var http = sessions.CreateClient(resolved, api, verbose: false, RequestTimeout);
            var user = await UserLookup.WhoAmIAsync(http, api, resolved.UserPath, cancellationToken).ConfigureAwait(false);

            // The name comes from the server: nothing it sends may steer the terminal.
            return user is null
                ? (new Verdict(null, "token refused by the server"), ExitCodes.Auth)
                : (new Verdict(OneLine.Collapse(user), ""), ExitCodes.Ok);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (new Verdict(null, OneLine.Collapse(FailureReporter.Describe(e).Message)), ExitCodes.Error);
        }
    }
}
