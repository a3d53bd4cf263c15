namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// Decides which host, endpoints and credentials one invocation uses — for every API command,
/// <c>bb api</c>, <c>bb auth login</c>, <c>status</c> and <c>logout</c>. Pure: the configuration,
/// environment and flags come in, the choice goes out.
/// </summary>
/// <remarks>
/// One precedence for every setting, highest first: the flag, the environment variable, the stored
/// value (<see cref="Pick"/>); an empty flag or variable counts as unset. So:
/// host: <c>--host</c>, <c>BB_HOST</c>, the default host;
/// API URL: <c>--api-url</c>, <c>BB_API_URL</c>, the host's;
/// consumer key: (<c>--consumer-key</c> at login), <c>BB_CONSUMER_KEY</c>, the host's;
/// token: <c>BB_TOKEN</c> (bearer, or basic with <c>BB_USERNAME</c>), else
/// <c>BB_ACCESS_TOKEN</c>/<c>BB_ACCESS_TOKEN_SECRET</c> (OAuth 1.0a), else the account's (any scheme).
/// A key or token from the environment never pairs with a stored secret: the stored secret
/// belongs to a different consumer or token. A secret from the environment alone does pair with
/// the stored key or token (the key is not secret and may be stored while CI injects the secret).
/// </remarks>
internal static class CredentialResolver
{
    /// <summary>Where a picked value came from.</summary>
    internal enum Origin
    {
        Flag,
        Environment,
        Stored,
    }

    /// <summary>The precedence: <paramref name="flag"/>, else the variable, else <paramref name="stored"/>.</summary>
    internal static (string? Value, Origin From) Pick(string? flag, Func<string, string?> environment, string variable, string? stored)
        => EnvironmentVariables.NullIfEmpty(flag) is { } fromFlag ? (fromFlag, Origin.Flag)
            : EnvironmentVariables.Read(environment, variable) is { } fromEnvironment ? (fromEnvironment, Origin.Environment)
            : (stored, Origin.Stored);

    /// <summary>The host name: <c>--host</c>, else <c>BB_HOST</c>, else <paramref name="fallback"/> (the default host when null).</summary>
    public static string HostName(BbConfig config, Func<string, string?> environment, string? hostOption, string? fallback = null)
        => Pick(hostOption, environment, EnvironmentVariables.Host, fallback ?? config.DefaultHost).Value!;

    /// <summary>The API URL given by <c>--api-url</c> or <c>BB_API_URL</c>, or null when neither is set.</summary>
    public static string? ApiUrlOverride(Func<string, string?> environment, string? apiUrlOption)
        => Pick(apiUrlOption, environment, EnvironmentVariables.ApiUrl, null).Value;

    /// <summary>The consumer key: <c>--consumer-key</c> (login only), else <c>BB_CONSUMER_KEY</c>, else the stored one.</summary>
    public static string? ConsumerKey(Func<string, string?> environment, string? consumerKeyOption, string? stored)
        => Pick(consumerKeyOption, environment, EnvironmentVariables.ConsumerKey, stored).Value;

    /// <param name="config">The loaded configuration.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="hostOption">The <c>--host</c> value, if given.</param>
    /// <param name="apiUrlOption">The <c>--api-url</c> value, if given.</param>
    /// <param name="username">The stored account to use; the host's default account when null.</param>
    /// <exception cref="ConfigException">Unknown host or account, or an API URL that is not an absolute http(s) URL.</exception>
    public static ResolvedHost Resolve(
        BbConfig config,
        Func<string, string?> environment,
        string? hostOption = null,
        string? apiUrlOption = null,
        string? username = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);

        var host = config.GetHost(HostName(config, environment, hostOption));
        var apiUrl = ResolveApiUrl(host, apiUrlOption, environment);
        var apiUrlOverridden = ApiUrlOverride(environment, apiUrlOption) is not null;

        var (consumerKey, consumerSecret, consumerSource) = Pair(
            ConsumerKey(environment, null, null),
            EnvironmentVariables.Read(environment, EnvironmentVariables.ConsumerSecret),
            host.ConsumerKey,
            host.ConsumerSecret);

        var account = host.GetAccount(username);
        if (account is null && username is not null)
        {
            throw new ConfigException($"no account '{username}' on host '{host.Name}'; run bb auth login --host {host.Name}");
        }

        var resolved = new ResolvedHost
        {
            HostName = host.Name,
            Flavor = host.Flavor,
            ApiUrl = apiUrl,
            ApiUrlOverridden = apiUrlOverridden,
            RequestTokenUrl = host.RequestTokenUrl,
            AuthorizeUrl = host.AuthorizeUrl,
            AccessTokenUrl = host.AccessTokenUrl,
            OAuth2TokenUrl = host.OAuth2TokenUrl,
            SignatureMethod = host.SignatureMethod,
            RsaKeyPath = host.RsaKeyPath,
            UserPath = host.UserPath,
            ConsumerKey = consumerKey,
            ConsumerSecret = consumerSecret,
            ConsumerSource = consumerSource,
        };

        // BB_TOKEN (CI) wins over everything: it is the login for this run.
        if (EnvironmentVariables.Read(environment, EnvironmentVariables.Token) is { } ciToken)
        {
            var login = EnvironmentVariables.Read(environment, EnvironmentVariables.Username);
            return resolved with
            {
                Scheme = login is null ? AuthScheme.Bearer : AuthScheme.Basic,
                Username = login,
                Token = ciToken,
                TokenSource = CredentialSource.Environment,
            };
        }

        var environmentToken = EnvironmentVariables.Read(environment, EnvironmentVariables.AccessToken);

        // A stored token of another scheme never pairs with OAuth 1.0a secrets from the environment.
        if (environmentToken is null && account is not null && account.Scheme != AuthScheme.OAuth1)
        {
            return resolved with
            {
                Scheme = account.Scheme,
                Username = account.Username,
                Token = account.Token,
                RefreshToken = account.RefreshToken,
                ExpiresAt = account.ExpiresAt,
                TokenSource = CredentialSource.Config,
            };
        }

        var (token, tokenSecret, tokenSource) = Pair(
            environmentToken,
            EnvironmentVariables.Read(environment, EnvironmentVariables.AccessTokenSecret),
            account?.Token,
            account?.TokenSecret);

        return resolved with
        {
            Username = environmentToken is null ? account?.Username : null,
            Token = token,
            TokenSecret = tokenSecret,
            TokenSource = tokenSource,
        };
    }

    private static string ResolveApiUrl(HostConfig host, string? option, Func<string, string?> environment)
    {
        var (url, from) = Pick(option, environment, EnvironmentVariables.ApiUrl, host.ApiUrl);
        var source = from switch
        {
            Origin.Flag => "--api-url",
            Origin.Environment => EnvironmentVariables.ApiUrl,
            _ => $"host '{host.Name}'",
        };

        // The value is not echoed: a URL may carry user:password.
        if (!HostConfig.IsHttpUrl(url))
        {
            throw new ConfigException($"the API URL from {source} is not an absolute http(s) URL (e.g. https://api.bitbucket.org)");
        }

        return url!.TrimEnd('/');
    }

    /// <summary>An identifier (consumer key or token) and its secret; the source is Environment when either part came from there.</summary>
    private static (string? Id, string? Secret, CredentialSource Source) Pair(
        string? environmentId, string? environmentSecret, string? storedId, string? storedSecret)
    {
        if (environmentId is not null)
        {
            return (environmentId, environmentSecret, CredentialSource.Environment);
        }

        if (storedId is null)
        {
            return (null, null, CredentialSource.None);
        }

        return environmentSecret is not null
            ? (storedId, environmentSecret, CredentialSource.Environment)
            : (storedId, storedSecret, CredentialSource.Config);
    }
}
