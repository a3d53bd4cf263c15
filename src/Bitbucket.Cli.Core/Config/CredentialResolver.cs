namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// Decides which host, endpoints and credentials one invocation uses. Pure: the configuration and
/// environment come in, a <see cref="ResolvedHost"/> goes out.
/// </summary>
/// <remarks>
/// Precedence, highest first:
/// host: <c>--host</c>, <c>BB_HOST</c>, the default host;
/// API URL: <c>--api-url</c>, <c>BB_API_URL</c>, the host's;
/// consumer: <c>BB_CONSUMER_KEY</c>/<c>BB_CONSUMER_SECRET</c>, the host's;
/// token: <c>BB_ACCESS_TOKEN</c>/<c>BB_ACCESS_TOKEN_SECRET</c>, the account's.
/// A key or token from the environment never pairs with a stored secret: the stored secret
/// belongs to a different consumer or token. A secret from the environment alone does pair with
/// the stored key or token (the key is not secret and may be stored while CI injects the secret).
/// Empty environment variables count as unset.
/// </remarks>
public static class CredentialResolver
{
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

        var hostName = NullIfEmpty(hostOption) ?? EnvironmentVariables.Read(environment, EnvironmentVariables.Host) ?? config.DefaultHost;
        var host = config.GetHost(hostName);
        var apiUrl = ResolveApiUrl(host, NullIfEmpty(apiUrlOption), EnvironmentVariables.Read(environment, EnvironmentVariables.ApiUrl));

        var (consumerKey, consumerSecret, consumerSource) = Pair(
            EnvironmentVariables.Read(environment, EnvironmentVariables.ConsumerKey),
            EnvironmentVariables.Read(environment, EnvironmentVariables.ConsumerSecret),
            host.ConsumerKey,
            host.ConsumerSecret);

        var account = host.GetAccount(username);
        if (account is null && username is not null)
            throw new ConfigException($"no account '{username}' on host '{host.Name}'; run bb auth login --host {host.Name}");

        var environmentToken = EnvironmentVariables.Read(environment, EnvironmentVariables.AccessToken);
        var (token, tokenSecret, tokenSource) = Pair(
            environmentToken,
            EnvironmentVariables.Read(environment, EnvironmentVariables.AccessTokenSecret),
            account?.Token,
            account?.TokenSecret);

        return new ResolvedHost
        {
            HostName = host.Name,
            ApiUrl = apiUrl,
            RequestTokenUrl = host.RequestTokenUrl,
            AuthorizeUrl = host.AuthorizeUrl,
            AccessTokenUrl = host.AccessTokenUrl,
            SignatureMethod = host.SignatureMethod,
            RsaKeyPath = host.RsaKeyPath,
            UserPath = host.UserPath,
            ConsumerKey = consumerKey,
            ConsumerSecret = consumerSecret,
            ConsumerSource = consumerSource,
            Username = environmentToken is null ? account?.Username : null,
            Token = token,
            TokenSecret = tokenSecret,
            TokenSource = tokenSource,
        };
    }

    private static string ResolveApiUrl(HostConfig host, string? option, string? environment)
    {
        var (url, source) = option is not null ? (option, "--api-url")
            : environment is not null ? (environment, EnvironmentVariables.ApiUrl)
            : (host.ApiUrl, $"host '{host.Name}'");

        // The value is not echoed: a URL may carry user:password.
        if (!HostConfig.IsHttpUrl(url))
            throw new ConfigException($"the API URL from {source} is not an absolute http(s) URL (e.g. https://api.bitbucket.org)");
        return url.TrimEnd('/');
    }

    /// <summary>An identifier (consumer key or token) and its secret; the source is Environment when either part came from there.</summary>
    private static (string? Id, string? Secret, CredentialSource Source) Pair(
        string? environmentId, string? environmentSecret, string? storedId, string? storedSecret)
    {
        if (environmentId is not null)
            return (environmentId, environmentSecret, CredentialSource.Environment);
        if (storedId is null)
            return (null, null, CredentialSource.None);
        return environmentSecret is not null
            ? (storedId, environmentSecret, CredentialSource.Environment)
            : (storedId, storedSecret, CredentialSource.Config);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
