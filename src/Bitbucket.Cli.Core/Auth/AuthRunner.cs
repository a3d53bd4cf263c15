using System.Net;
using System.Text.Json;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Cocona;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Options of <c>bb auth login</c>: everything settable by flags, so a script can log in anywhere.</summary>
public sealed record LoginOptions(
    [Option("host", Description = "Name to store this login under (default: BB_HOST, else the API URL's host:port, else bitbucket.org)", ValueName = "NAME")] string? Host = null,
    [Option("api-url", Description = "API origin, e.g. https://bitbucket.example.com", ValueName = "URL")] string? ApiUrl = null,
    [Option("request-token-url", Description = "OAuth request-token URL (default: <api-url>/api/1.0/oauth/request_token)", ValueName = "URL")] string? RequestTokenUrl = null,
    [Option("authorize-url", Description = "OAuth authorize URL (default: <api-url>/api/1.0/oauth/authenticate)", ValueName = "URL")] string? AuthorizeUrl = null,
    [Option("access-token-url", Description = "OAuth access-token URL (default: <api-url>/api/1.0/oauth/access_token)", ValueName = "URL")] string? AccessTokenUrl = null,
    [Option("consumer-key", Description = "OAuth consumer key (default: BB_CONSUMER_KEY, else the stored one)", ValueName = "KEY")] string? ConsumerKey = null,
    [Option("signature-method", Description = "HMAC-SHA1 (default), HMAC-SHA256, PLAINTEXT or RSA-SHA1", ValueName = "METHOD")] string? SignatureMethod = null,
    [Option("rsa-key", Description = "PEM private key for RSA-SHA1 (Bitbucket Server/Data Center, Jira)", ValueName = "FILE")] string? RsaKey = null,
    [Option("consumer-secret-stdin", Description = "Read the consumer secret from the first line of stdin (else BB_CONSUMER_SECRET, the stored one, or a prompt)")] bool ConsumerSecretStdin = false,
    [Option("callback-port", Description = "Port for the callback listener on 127.0.0.1 (default: a free port)", ValueName = "PORT")] int? CallbackPort = null,
    [Option("no-browser", Description = "Do not open a browser; print the authorize URL alone on a line on stderr")] bool NoBrowser = false,
    [Option("oob", Description = "Out-of-band: no callback; type the verifier (PIN) the provider shows")] bool Oob = false,
    [Option("user-path", Description = "Current-user endpoint used to check the new token (default /2.0/user)", ValueName = "PATH")] string? UserPath = null,
    [Option("timeout", Description = "Seconds to wait for approval in the browser (default 300)", ValueName = "SECONDS")] double? Timeout = null,
    [Option("verbose", new[] { 'v' }, Description = "Print the OAuth requests (secrets redacted) to stderr")] bool Verbose = false)
    : ICommandParameterSet;

/// <summary><c>bb auth login | status | logout</c>: logic kept out of the Cocona methods so it can be tested.</summary>
public sealed class AuthRunner(CommandRuntime runtime)
{
    private const string DefaultUserPath = "/2.0/user";

    public async Task<int> LoginAsync(LoginOptions options, CancellationToken cancellationToken)
    {
        var io = runtime.IO;
        var config = runtime.Store.Load();
        var apiUrlFlag = options.ApiUrl ?? io.Env(EnvironmentVariables.ApiUrl);
        var name = options.Host ?? io.Env(EnvironmentVariables.Host)
            ?? (apiUrlFlag is not null ? ParseUrl("--api-url", apiUrlFlag).Authority : config.DefaultHost);
        config.TryGetHost(name, out var existing);
        if (existing is null && string.Equals(name, HostConfig.BitbucketCloudName, StringComparison.OrdinalIgnoreCase))
        {
            existing = HostConfig.BitbucketCloud;
        }

        var apiUrl = apiUrlFlag ?? existing?.ApiUrl
            ?? throw new UsageException($"host '{name}' is new: give its --api-url (and the OAuth URLs if they are not Bitbucket's /api/1.0/oauth/...)");
        var origin = ParseUrl("--api-url", apiUrl).GetLeftPart(UriPartial.Authority);
        var keepExisting = existing is not null && options.ApiUrl is null;
        var host = new HostConfig
        {
            Name = existing?.Name ?? name,
            ApiUrl = apiUrl.TrimEnd('/'),
            RequestTokenUrl = options.RequestTokenUrl ?? (keepExisting ? existing!.RequestTokenUrl : origin + "/api/1.0/oauth/request_token"),
            AuthorizeUrl = options.AuthorizeUrl ?? (keepExisting ? existing!.AuthorizeUrl : origin + "/api/1.0/oauth/authenticate"),
            AccessTokenUrl = options.AccessTokenUrl ?? (keepExisting ? existing!.AccessTokenUrl : origin + "/api/1.0/oauth/access_token"),
            SignatureMethod = existing?.SignatureMethod ?? "HMAC-SHA1",
            RsaKeyPath = options.RsaKey is not null ? Path.GetFullPath(options.RsaKey) : existing?.RsaKeyPath,
            UserPath = options.UserPath ?? existing?.UserPath,
            ConsumerKey = options.ConsumerKey ?? io.Env(EnvironmentVariables.ConsumerKey) ?? existing?.ConsumerKey,
            DefaultAccount = existing?.DefaultAccount,
            Accounts = existing?.Accounts ?? [],
        };

        SignatureMethod method;
        if (options.SignatureMethod is not null)
        {
            if (!SignatureMethods.TryParse(options.SignatureMethod, out method))
            {
                throw new UsageException($"unknown --signature-method '{options.SignatureMethod}'; use HMAC-SHA1, HMAC-SHA256, PLAINTEXT or RSA-SHA1");
            }
        }
        else if (!SignatureMethods.TryParse(host.SignatureMethod, out method))
        {
            method = SignatureMethod.HmacSha1;
        }

        host = host with { SignatureMethod = SignatureMethods.ToWire(method) };
        if (host.ConsumerKey is null)
        {
            throw new UsageException("a consumer key is needed: pass --consumer-key KEY or set BB_CONSUMER_KEY");
        }

        var urls = new[] { ParseUrl("--request-token-url", host.RequestTokenUrl), ParseUrl("--authorize-url", host.AuthorizeUrl), ParseUrl("--access-token-url", host.AccessTokenUrl), ParseUrl("--api-url", host.ApiUrl) };
        foreach (var url in urls)
        {
            CommandRuntime.RequirePlaintextSafe(method, url);
        }

        var secret = method == SignatureMethod.RsaSha1 ? string.Empty : ConsumerSecret(options, existing, host.ConsumerKey);
        var rsa = method == SignatureMethod.RsaSha1 ? runtime.LoadRsaKey(host.RsaKeyPath) : null;
        var consumer = new OAuthCredentials(host.ConsumerKey, secret, null, null, method, rsa);

        var timeout = options.Timeout is { } seconds ? (seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be positive")) : TimeSpan.FromMinutes(5);
        using var http = HttpPipeline.Create(
            new HttpPipelineOptions
            {
                BaseAddress = urls[3],
                SignedOrigins = urls.Select(HttpPipeline.OriginOf).Distinct().ToArray(),
                Verbose = options.Verbose || io.Debug,
                Timeout = TimeSpan.FromSeconds(60),
            },
            io,
            runtime.Time,
            runtime.Nonces);

        var flow = new LoginFlow(http, io, runtime.Time, runtime.Nonces);
        AccessToken token;
        try
        {
            token = await flow.RunAsync(
                new LoginSettings
                {
                    RequestTokenUrl = urls[0],
                    AuthorizeUrl = urls[1],
                    AccessTokenUrl = urls[2],
                    Consumer = consumer,
                    OutOfBand = options.Oob,
                    OpenBrowser = !options.NoBrowser,
                    CallbackPort = options.CallbackPort ?? 0,
                    Timeout = timeout,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            e.Data["bb.target"] = urls[0].GetLeftPart(UriPartial.Authority);
            throw;
        }

        var credentials = consumer with { Token = token.Token, TokenSecret = token.Secret };
        var username = await WhoAmIAsync(credentials, urls[3], host.UserPath ?? DefaultUserPath, options.Verbose, cancellationToken).ConfigureAwait(false)
            ?? throw new AuthException($"{urls[3].Host} refused the new access token; check the consumer and try bb auth login again");

        host = host with { ConsumerSecret = secret.Length > 0 ? secret : null };
        runtime.Store.Update(current =>
        {
            var hadLogin = current.Hosts.Values.Any(h => !h.Accounts.IsEmpty);
            var merged = current.TryGetHost(host.Name, out var latest) ? host with { Accounts = latest.Accounts, DefaultAccount = latest.DefaultAccount } : host;
            var next = current.WithHost(merged.WithAccount(new AccountCredentials(username, token.Token, token.Secret)));
            return hadLogin ? next : next.WithDefaultHost(host.Name);
        });

        await io.Error.WriteLineAsync($"✓ Logged in to {host.Name} as {username}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public async Task<int> StatusAsync(string? hostFilter, CancellationToken cancellationToken)
    {
        var io = runtime.IO;
        var config = runtime.Store.Load();
        var checks = new List<(string Host, string Account, bool IsDefault, ResolvedHost Resolved)>();
        if (io.Env(EnvironmentVariables.AccessToken) is not null)
        {
            var resolved = CredentialResolver.Resolve(config, io.Environment, hostFilter);
            checks.Add((resolved.HostName, "(from BB_ACCESS_TOKEN)", true, resolved));
        }
        else
        {
            foreach (var host in config.Hosts.Values.OrderBy(h => h.Name, StringComparer.Ordinal))
            {
                if (hostFilter is not null && !BbConfig.NameComparer.Equals(hostFilter, host.Name))
                {
                    continue;
                }

                foreach (var account in host.Accounts.Keys.Order(StringComparer.Ordinal))
                {
                    var resolved = CredentialResolver.Resolve(config, static _ => null, host.Name, null, account);
                    checks.Add((host.Name, account, BbConfig.NameComparer.Equals(account, host.DefaultAccount), resolved));
                }
            }
        }

        if (checks.Count == 0)
        {
            throw new AuthException(hostFilter is null ? "not logged in to any host; run bb auth login" : $"not logged in to {hostFilter}; run bb auth login --host {hostFilter}");
        }

        var exit = ExitCodes.Ok;
        foreach (var (hostName, account, isDefault, resolved) in checks)
        {
            string verdict;
            try
            {
                var api = new Uri(resolved.ApiUrl.TrimEnd('/') + "/");
                var user = await WhoAmIAsync(runtime.Credentials(resolved, api)!, api, resolved.UserPath ?? DefaultUserPath, verbose: false, cancellationToken).ConfigureAwait(false);
                verdict = user is null ? "✗ token refused by the server" : $"✓ valid (as {user})";
                if (user is null)
                {
                    exit = ExitCodes.Auth;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                verdict = $"✗ {ErrorReporter.Describe(e).Message}";
                exit = exit == ExitCodes.Ok ? ExitCodes.Error : exit;
            }

            await io.Out.WriteLineAsync($"{hostName}\t{account}{(isDefault ? " (default)" : string.Empty)}\t{resolved.ApiUrl}\t{verdict}").ConfigureAwait(false);
        }

        return exit;
    }

    public Task<int> LogoutAsync(string? host, string? account)
    {
        var io = runtime.IO;
        var name = host ?? io.Env(EnvironmentVariables.Host) ?? runtime.Store.Load().DefaultHost;
        var removed = runtime.Store.RemoveAccount(name, account);
        io.Error.WriteLine($"✓ Logged out of {name} ({removed}); its token and secret are removed from {runtime.Store.FilePath}");
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>The username behind <paramref name="credentials"/>, or null when the server refuses them.</summary>
    private async Task<string?> WhoAmIAsync(OAuthCredentials credentials, Uri api, string userPath, bool verbose, CancellationToken cancellationToken)
    {
        using var http = HttpPipeline.Create(
            new HttpPipelineOptions { BaseAddress = api, Credentials = () => credentials, Verbose = verbose || runtime.IO.Debug, Timeout = TimeSpan.FromSeconds(60) },
            runtime.IO,
            runtime.Time,
            runtime.Nonces);
        var url = new Uri(api.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + userPath.TrimStart('/'));
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await CommandRuntime.ApiErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }

        // A user record is small; reading a bounded prefix keeps a hostile server from growing bb's memory.
        var body = System.Text.Encoding.UTF8.GetString(await CommandRuntime.ReadBoundedAsync(response.Content, 1024 * 1024, cancellationToken).ConfigureAwait(false));
        if (response.Content.Headers.ContentType?.MediaType == "text/plain" && body.Trim() is { Length: > 0 and < 256 } plain && !plain.Contains('\n', StringComparison.Ordinal))
        {
            // Bitbucket Server's /plugins/servlet/applinks/whoami answers with the bare username.
            return plain;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var field in new[] { "username", "nickname", "name", "slug", "account_id" })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
        }
        catch (JsonException)
        {
        }

        throw new CliException($"{url.AbsolutePath} did not say who is logged in (no username in its JSON); pass --user-path");
    }

    private string ConsumerSecret(LoginOptions options, HostConfig? existing, string consumerKey)
    {
        var io = runtime.IO;
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

    private static Uri ParseUrl(string option, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"{option} '{value}' is not an absolute http(s) URL");
}
