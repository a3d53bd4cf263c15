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
        switch (target.Scheme)
        {
            case AuthScheme.Bearer or AuthScheme.Basic:
                return await TokenLoginAsync(target, options, identity, cancellationToken).ConfigureAwait(false);
            case AuthScheme.OAuth2:
                return await OAuth2LoginAsync(target, options, identity, cancellationToken).ConfigureAwait(false);
        }

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

    /// <summary>Longest token accepted on stdin; tokens are a few hundred characters.</summary>
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>
    /// <c>--with-token</c>: the token from stdin (never argv), checked against the current-user endpoint
    /// with the scheme it will be used with, then stored like every secret.
    /// </summary>
    private async Task<int> TokenLoginAsync(LoginTarget target, LoginOptions options, ServerIdentity? identity, CancellationToken cancellationToken)
    {
        if (options.Username is { } login && (login.Length == 0 || login.Contains(':', StringComparison.Ordinal) || login.Any(char.IsControl)))
        {
            throw new UsageException("--username must be a login without ':' or control characters (HTTP Basic cannot carry them)");
        }

        var token = ReadToken();
        var probe = Probe(target, target.Scheme, options.Username, token);
        using var http = sessions.CreateClient(probe, target.ApiUrl, options.Verbose, RequestTimeout);
        var username = await UserLookup.WhoAmIAsync(http, target.ApiUrl, target.Host.UserPath, cancellationToken).ConfigureAwait(false)
            ?? throw new AuthException($"{target.ApiUrl.Host} refused the token; check it (and --username for an API token) and run bb auth login --with-token again");

        var account = AccountCredentials.ForToken(options.Username ?? username, target.Scheme, token);
        Save(target.Host with { ConsumerSecret = target.Existing?.ConsumerSecret }, account);
        await io.Error.WriteLineAsync($"✓ Logged in to {target.Host.Name}{Describe(target.Host.Flavor, identity?.Version)} as {username} ({AuthSchemes.DisplayName(target.Scheme)})").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// OAuth 2.0: the consumer's key and secret are the client; the code comes back through the
    /// loopback listener; the new access token is checked before the pair is stored.
    /// </summary>
    private async Task<int> OAuth2LoginAsync(LoginTarget target, LoginOptions options, ServerIdentity? identity, CancellationToken cancellationToken)
    {
        var key = target.Host.ConsumerKey!;
        var secret = ConsumerSecret(options, target.Existing, key);
        var approval = options.Timeout is { } seconds ? (seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be positive")) : TimeSpan.FromMinutes(5);
        if (options.Oob)
        {
            throw new UsageException("--oob is OAuth 1.0a's; OAuth 2.0 returns to the callback listener (or log in with --oauth1)");
        }

        var tokenUrl = new Uri(target.Host.OAuth2TokenUrl!);
        OAuth2Tokens tokens;
        using (var tokenHttp = sessions.CreateTokenClient(tokenUrl, key, secret, options.Verbose, RequestTimeout))
        {
            var settings = new OAuth2Settings
            {
                AuthorizeUrl = new Uri(target.Host.OAuth2AuthorizeUrl!),
                TokenUrl = tokenUrl,
                ClientId = key,
                OpenBrowser = !options.NoBrowser,
                CallbackPort = options.CallbackPort ?? 0,
                Timeout = approval,
            };
            tokens = await new OAuth2Flow(tokenHttp, io, time).RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        using var http = sessions.CreateClient(Probe(target, AuthScheme.Bearer, null, tokens.AccessToken), target.ApiUrl, options.Verbose, RequestTimeout);
        var username = await UserLookup.WhoAmIAsync(http, target.ApiUrl, target.Host.UserPath, cancellationToken).ConfigureAwait(false)
            ?? throw new AuthException($"{target.ApiUrl.Host} refused the new access token; check the consumer and try bb auth login again");

        var account = AccountCredentials.ForToken(username, AuthScheme.OAuth2, tokens.AccessToken) with { RefreshToken = tokens.RefreshToken, ExpiresAt = tokens.ExpiresAt };
        Save(target.Host with { ConsumerSecret = secret }, account);
        await io.Error.WriteLineAsync($"✓ Logged in to {target.Host.Name}{Describe(target.Host.Flavor, identity?.Version)} as {username} (OAuth 2.0)").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>A resolved host for checking a new token: the target's URLs, the token and its scheme.</summary>
    private static ResolvedHost Probe(LoginTarget target, AuthScheme scheme, string? username, string token) => new()
    {
        HostName = target.Host.Name,
        Flavor = target.Host.Flavor,
        ApiUrl = target.Host.ApiUrl,
        RequestTokenUrl = target.Host.RequestTokenUrl,
        AuthorizeUrl = target.Host.AuthorizeUrl,
        AccessTokenUrl = target.Host.AccessTokenUrl,
        SignatureMethod = target.Host.SignatureMethod,
        UserPath = target.Host.UserPath,
        Scheme = scheme,
        Username = username,
        Token = token,
    };

    /// <summary>The token: one line of stdin (a prompt without echo on a terminal), bounded, trimmed.</summary>
    private string ReadToken()
    {
        string? line;
        if (io.StdinIsTty)
        {
            line = io.ReadSecret("Token: ");
        }
        else
        {
            var buffer = new System.Text.StringBuilder();
            int c;
            while ((c = io.In.Read()) is not -1 and not '\n')
            {
                if (buffer.Length >= MaxTokenLength)
                {
                    throw new UsageException($"--with-token: the token on stdin is longer than {MaxTokenLength} characters");
                }

                buffer.Append((char)c);
            }

            line = buffer.ToString();
        }

        var token = line?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw new UsageException("--with-token: stdin held no token (pipe it in: bb auth login --with-token < token.txt)");
        }

        return token.Any(char.IsControl) || token.Contains(' ', StringComparison.Ordinal)
            ? throw new UsageException("--with-token: the token contains spaces or control characters")
            : token;
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
