using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary><c>bb auth login</c>: resolve the host, get the consumer, run the exchange, check the token, store it.</summary>
/// <remarks>
/// A new host given only its API URL is recognised by <see cref="ServerProbe"/>: Data Center gets its
/// description's servlet URLs, whoami and RSA-SHA1; anything else is Cloud, as before flavours.
/// </remarks>
internal sealed class LoginRunner(ConsoleIO io, ConfigStore store, ApiSessions sessions, TimeProvider time, INonceSource nonces, IReadOnlyList<ApiDescription> apis)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public async Task<int> LoginAsync(LoginOptions options, CancellationToken cancellationToken)
    {
        var config = store.Load();
        var located = LoginTarget.Locate(config, io.Environment, options);
        ServerIdentity? identity = null;
        if (located.Flavor is null && ServerProbe.ProbeUrl(apis, located.ApiUrl) is { } probe)
        {
            // Usage errors (a bad URL or method, PLAINTEXT over http) come before any traffic, whatever the flavour.
            LoginTarget.Resolve(config, io.Environment, options);
            identity = await ServerProbe.IdentifyAsync(io, time, nonces, probe, options.Verbose, cancellationToken).ConfigureAwait(false);
        }

        var target = LoginTarget.Resolve(config, io.Environment, options, apis, identity?.Flavor);
        target.RequireRsaKey();
        var secret = target.Host.SignatureMethod == SignatureMethod.RsaSha1 ? string.Empty : ConsumerSecret(options, target.Existing, target.Host.ConsumerKey!);
        var rsa = target.Host.SignatureMethod == SignatureMethod.RsaSha1 ? SigningCredentials.LoadRsaKey(target.Host.RsaKeyPath, io.Error) : null;
        var consumer = new OAuthCredentials(target.Host.ConsumerKey!, secret, null, null, target.Host.SignatureMethod, rsa);
        var approval = options.Timeout is { } seconds ? (seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be positive")) : TimeSpan.FromMinutes(5);

        var token = await ExchangeAsync(target, consumer, options, approval, cancellationToken).ConfigureAwait(false);
        var credentials = consumer with { Token = token.Token, TokenSecret = token.Secret };
        using var http = sessions.CreateClient(target.ApiUrl, credentials, options.Verbose, RequestTimeout);
        var username = await UserLookup.WhoAmIAsync(http, target.ApiUrl, target.Host.UserPath, cancellationToken).ConfigureAwait(false)
            ?? throw new AuthException($"{target.ApiUrl.Host} refused the new access token; check the consumer and try bb auth login again");

        Save(target.Host with { ConsumerSecret = secret.Length > 0 ? secret : null }, new AccountCredentials(username, token.Token, token.Secret));
        await io.Error.WriteLineAsync($"✓ Logged in to {target.Host.Name}{Describe(target.Host.Flavor, identity?.Version)} as {Output.OneLine.ForTerminal(username, io.StderrIsTty)}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The flavour (and version) for the success line: <c> (Bitbucket Data Center 9.2.0)</c>; nothing
    /// for Cloud, whose line stays as it always was.
    /// </summary>
    internal static string Describe(ApiFlavor flavor, string? version) => flavor == ApiFlavor.Cloud
        ? string.Empty
        : $" ({ApiFlavors.DisplayName(flavor)}{(version is null ? string.Empty : " " + version)})";

    /// <summary>The three-legged exchange (<see cref="LoginFlow"/>), signing only for the login's own origins.</summary>
    private async Task<AccessToken> ExchangeAsync(LoginTarget target, OAuthCredentials consumer, LoginOptions options, TimeSpan approval, CancellationToken cancellationToken)
    {
        using var http = sessions.CreateClient(new HttpPipelineOptions
        {
            BaseAddress = target.ApiUrl,
            SignedOrigins = target.Urls.Select(HttpPipeline.OriginOf).Distinct().ToArray(),
            Verbose = options.Verbose,
            Timeout = approval < RequestTimeout ? approval : RequestTimeout, // --timeout also bounds each token request
        });
        var settings = new LoginSettings
        {
            RequestTokenUrl = target.RequestTokenUrl,
            AuthorizeUrl = target.AuthorizeUrl,
            AccessTokenUrl = target.AccessTokenUrl,
            Consumer = consumer,
            OutOfBand = options.Oob,
            OpenBrowser = !options.NoBrowser,
            CallbackPort = options.CallbackPort ?? 0,
            Timeout = approval,
        };

        try
        {
            return await new LoginFlow(http, io, time, nonces).RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            e.Data[FailureReporter.TargetKey] = target.RequestTokenUrl.GetLeftPart(UriPartial.Authority);
            throw;
        }
    }

    /// <summary>Stores the host and the new account; the first login anywhere makes its host the default.</summary>
    private void Save(HostConfig host, AccountCredentials account) => store.Update(current =>
    {
        var hadLogin = current.Hosts.Values.Any(h => !h.Accounts.IsEmpty);
        var merged = current.TryGetHost(host.Name, out var latest) ? host with { Accounts = latest.Accounts, DefaultAccount = latest.DefaultAccount } : host;
        var next = current.WithHost(merged.WithAccount(account));
        return hadLogin ? next : next.WithDefaultHost(host.Name);
    });

    /// <summary><c>BB_CONSUMER_SECRET</c>, else stdin (<c>--consumer-secret-stdin</c>), else the stored one for the same key, else a prompt.</summary>
    private string ConsumerSecret(LoginOptions options, HostConfig? existing, string consumerKey)
    {
        if (io.Env(EnvironmentVariables.ConsumerSecret) is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (options.ConsumerSecretStdin)
        {
            return io.In.ReadLine() is { Length: > 0 } line ? line : throw new UsageException("--consumer-secret-stdin: stdin held no secret");
        }

        if (existing?.ConsumerSecret is { } stored && existing.ConsumerKey == consumerKey)
        {
            return stored;
        }

        if (io.StdinIsTty)
        {
            return io.ReadSecret($"Consumer secret for {consumerKey}: ") is { Length: > 0 } typed ? typed : throw new UsageException("no consumer secret was entered");
        }

        throw new UsageException("the consumer secret is needed: set BB_CONSUMER_SECRET or pipe it with --consumer-secret-stdin");
    }
}
