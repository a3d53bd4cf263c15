using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary><c>bb auth status</c>: checks every stored login (or the one from the environment) against its API.</summary>
/// <remarks>
/// One line per login, tab-separated: host, account (<c>(default)</c> marked), API URL, verdict,
/// flavour (<c>cloud</c> or <c>datacenter</c>) and, for Data Center, the server version (empty
/// when the server did not say). Fields are only ever added at the end.
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
        foreach (var check in checks)
        {
            var (verdict, code) = await VerifyAsync(check.Resolved, cancellationToken).ConfigureAwait(false);
            exit = Worse(exit, code);
            var flavor = await FlavorFieldsAsync(check.Resolved, cancellationToken).ConfigureAwait(false);
            await io.Out.WriteLineAsync($"{check.Host}\t{check.Account}{(check.IsDefault ? " (default)" : string.Empty)}\t{check.Resolved.ApiUrl}\t{verdict}\t{flavor}").ConfigureAwait(false);
        }

        return exit;
    }

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

    /// <summary>The flavour field, and for Data Center the version field from the unauthenticated probe endpoint.</summary>
    private async Task<string> FlavorFieldsAsync(ResolvedHost resolved, CancellationToken cancellationToken)
    {
        var name = ApiFlavors.ToName(resolved.Flavor);
        if (resolved.Flavor != ApiFlavor.DataCenter)
        {
            return name;
        }

        var identity = ServerProbe.ProbeUrl(apis, resolved.ApiUrl) is { } probe
            ? await ServerProbe.IdentifyAsync(io, time, nonces, probe, verbose: false, cancellationToken).ConfigureAwait(false)
            : null;
        return $"{name}\t{identity?.Version}";
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
    private async Task<(string Verdict, int ExitCode)> VerifyAsync(ResolvedHost resolved, CancellationToken cancellationToken)
    {
        try
        {
            var api = ApiSessions.ApiBase(resolved.ApiUrl);
            using var http = sessions.CreateClient(resolved, api, verbose: false, RequestTimeout);
            var user = await UserLookup.WhoAmIAsync(http, api, resolved.UserPath, cancellationToken).ConfigureAwait(false);
            return user is null ? ("✗ token refused by the server", ExitCodes.Auth) : ($"✓ valid (as {user})", ExitCodes.Ok);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ($"✗ {FailureReporter.Describe(e).Message}", ExitCodes.Error);
        }
    }
}
