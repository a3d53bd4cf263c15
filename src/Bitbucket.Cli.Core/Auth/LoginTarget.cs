using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Where a login goes before its flavour is settled: see <see cref="LoginTarget.Locate"/>.</summary>
internal sealed record LoginHost(string Name, HostConfig? Existing, string ApiUrl, ApiFlavor? Flavor);

/// <summary>
/// The host a login is for, decided before anything is sent: the stored host updated by the flags,
/// or a new one named after its API URL. The OAuth and API URLs are parsed and checked here.
/// </summary>
/// <param name="Host">The host to store (no consumer secret, accounts as they were).</param>
/// <param name="Existing">The stored host of that name, if any.</param>
internal sealed record LoginTarget(HostConfig Host, HostConfig? Existing, Uri RequestTokenUrl, Uri AuthorizeUrl, Uri AccessTokenUrl, Uri ApiUrl)
{
    /// <summary>Every URL the login talks to; the Authorization header may go to these origins only.</summary>
    public IReadOnlyList<Uri> Urls => [RequestTokenUrl, AuthorizeUrl, AccessTokenUrl, ApiUrl];

    /// <summary>How the login authenticates (see <see cref="SchemeFor"/>).</summary>
    public AuthScheme Scheme { get; init; } = AuthScheme.OAuth1;

    /// <summary>
    /// The scheme a login asks for: <c>--with-token</c> (basic with <c>--username</c>, else bearer),
    /// <c>--oauth2</c>, <c>--oauth1</c>; without a flag OAuth 2.0 for the built-in bitbucket.org host
    /// (Cloud takes no OAuth 1.0a consumers any more) and for a host whose default login is OAuth 2.0,
    /// else OAuth 1.0a as always.
    /// </summary>
    /// <exception cref="UsageException">Flags that contradict each other.</exception>
    public static AuthScheme SchemeFor(LoginOptions options, string hostName, HostConfig? existing)
    {
        if ((options.WithToken ? 1 : 0) + (options.OAuth1 ? 1 : 0) + (options.OAuth2 ? 1 : 0) > 1)
        {
            throw new UsageException("choose one of --with-token, --oauth1 and --oauth2");
        }

        if (options.Username is not null && !options.WithToken)
        {
            throw new UsageException("--username goes with --with-token (HTTP Basic with an API token)");
        }

        if (options.WithToken)
        {
            return options.Username is null ? AuthScheme.Bearer : AuthScheme.Basic;
        }

        if (options.OAuth1 || options.OAuth2)
        {
            return options.OAuth2 ? AuthScheme.OAuth2 : AuthScheme.OAuth1;
        }

        return BbConfig.NameComparer.Equals(hostName, HostConfig.BitbucketCloudName) || existing?.GetAccount()?.Scheme == AuthScheme.OAuth2
            ? AuthScheme.OAuth2
            : AuthScheme.OAuth1;
    }

    /// <summary>
    /// The host's name, its stored entry and API URL, and its flavour when that is already decided
    /// (<c>--flavor</c>, else the stored host's); null means a new host whose flavour the caller detects.
    /// </summary>
    /// <exception cref="UsageException">A new host without an API URL, a bad URL, an unknown flavour, no consumer key.</exception>
    public static LoginHost Locate(BbConfig config, Func<string, string?> environment, LoginOptions options)
    {
        var apiUrlOverride = CredentialResolver.ApiUrlOverride(environment, options.ApiUrl);
        var newHostName = apiUrlOverride is null ? null : ParseUrl("--api-url", apiUrlOverride).Authority;
        var name = CredentialResolver.HostName(config, environment, options.Host, newHostName);
        config.TryGetHost(name, out var existing);
        var apiUrl = apiUrlOverride ?? existing?.ApiUrl
            ?? throw new UsageException($"host '{name}' is new: give its --api-url (and the OAuth URLs if they are not Bitbucket's /api/1.0/oauth/...)");
        ParseUrl("--api-url", apiUrl);

        ApiFlavor? flavor = existing?.Flavor;
        if (EnvironmentVariables.NullIfEmpty(options.Flavor) is { } given)
        {
            flavor = ApiFlavors.TryParse(given, out var parsed) ? parsed : throw new UsageException($"unknown --flavor '{given}'; use cloud or datacenter");
        }

        if (!options.WithToken && CredentialResolver.ConsumerKey(environment, options.ConsumerKey, existing?.ConsumerKey) is null)
        {
            throw new UsageException("a consumer key is needed: pass --consumer-key KEY or set BB_CONSUMER_KEY");
        }

        return new LoginHost(name, existing, apiUrl, flavor);
    }

    /// <summary>Host, URLs, consumer key and signature method, each by <see cref="CredentialResolver"/>'s precedence.</summary>
    /// <param name="apis">The APIs bb knows: a Data Center host's OAuth URLs, current-user path and signature method come from its description.</param>
    /// <param name="detected">The flavour the probe found, for a host whose flavour <see cref="Locate"/> left open (null: Cloud).</param>
    /// <exception cref="UsageException">A new host without an API URL, no consumer key, a bad URL, flavour or signature method, PLAINTEXT over http.</exception>
    public static LoginTarget Resolve(BbConfig config, Func<string, string?> environment, LoginOptions options, IReadOnlyList<ApiDescription>? apis = null, ApiFlavor? detected = null)
    {
        var located = Locate(config, environment, options);
        var flavor = located.Flavor ?? detected ?? ApiFlavor.Cloud;
        var scheme = SchemeFor(options, located.Name, located.Existing);
        var host = Draft(located, flavor, scheme, config.BuiltIn, options, environment, apis ?? []);
        var target = new LoginTarget(
            host,
            located.Existing,
            ParseUrl("--request-token-url", host.RequestTokenUrl),
            ParseUrl("--authorize-url", host.AuthorizeUrl),
            ParseUrl("--access-token-url", host.AccessTokenUrl),
            ParseUrl("--api-url", host.ApiUrl))
        { Scheme = scheme };
        if (scheme == AuthScheme.OAuth1)
        {
            foreach (var url in target.Urls)
            {
                SigningCredentials.RequirePlaintextSafe(host.SignatureMethod, url);
            }
        }
        else
        {
            SigningCredentials.RequireTls(scheme, target.ApiUrl);
        }

        if (scheme == AuthScheme.OAuth2)
        {
            foreach (var (option, url) in new[] { ("--authorize-url", host.OAuth2AuthorizeUrl), ("--access-token-url", host.OAuth2TokenUrl) })
            {
                SigningCredentials.RequireTls(scheme, ParseUrl(option, url ?? throw new UsageException($"OAuth 2.0 on host '{host.Name}' needs its endpoints: pass --authorize-url and --access-token-url")));
            }
        }

        return target;
    }

    /// <summary>
    /// The stored host with the flags applied. A Cloud host's OAuth URLs default to Bitbucket's at the
    /// API origin (as always); a Data Center host's to its description's paths under the API URL, so a
    /// context path is kept. Stored URLs are kept unless the API URL or the flavour changes.
    /// </summary>
    private static HostConfig Draft(LoginHost located, ApiFlavor flavor, AuthScheme scheme, HostConfig builtIn, LoginOptions options, Func<string, string?> environment, IReadOnlyList<ApiDescription> apis)
    {
        var existing = located.Existing;
        var apiUrl = located.ApiUrl.TrimEnd('/');
        var keepUrls = existing is not null && options.ApiUrl is null && existing.Flavor == flavor;
        string requestToken, authorize, accessToken;
        string? userPath;
        string? oauth2Authorize = null, oauth2Token = null;
        SignatureMethod defaultMethod;
        if (flavor == ApiFlavor.DataCenter)
        {
            var api = ServerProbe.Describe(apis, ApiFlavor.DataCenter);
            (requestToken, authorize, accessToken) = (Under(apiUrl, api.RequestTokenPath), Under(apiUrl, api.AuthorizePath), Under(apiUrl, api.AccessTokenPath));
            userPath = api.CurrentUserPath;
            defaultMethod = api.SignatureMethod;
        }
        else
        {
            var origin = ParseUrl("--api-url", apiUrl).GetLeftPart(UriPartial.Authority);
            (requestToken, authorize, accessToken) = (origin + "/api/1.0/oauth/request_token", origin + "/api/1.0/oauth/authenticate", origin + "/api/1.0/oauth/access_token");
            userPath = null;
            defaultMethod = SignatureMethod.HmacSha1;

            // Bitbucket Cloud's OAuth 2.0 endpoints live on bitbucket.org, not on the API origin; another Cloud-like host has them at its origin.
            var isBuiltIn = BbConfig.NameComparer.Equals(located.Name, builtIn.Name) && string.Equals(apiUrl, builtIn.ApiUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
            (oauth2Authorize, oauth2Token) = isBuiltIn
                ? (builtIn.OAuth2AuthorizeUrl, builtIn.OAuth2TokenUrl)
                : (origin + "/site/oauth2/authorize", origin + "/site/oauth2/access_token");
        }

        // In an OAuth 2.0 login, --authorize-url and --access-token-url name the OAuth 2.0 endpoints.
        var oauth2 = scheme == AuthScheme.OAuth2;
        var oauth1Authorize = oauth2 ? null : options.AuthorizeUrl;
        var oauth1AccessToken = oauth2 ? null : options.AccessTokenUrl;
        var keepOAuth2 = keepUrls && existing!.OAuth2AuthorizeUrl is not null;

        var host = new HostConfig
        {
            Name = existing?.Name ?? located.Name,
            Flavor = flavor,
            ApiUrl = apiUrl,
            RequestTokenUrl = options.RequestTokenUrl ?? (keepUrls ? existing!.RequestTokenUrl : requestToken),
            AuthorizeUrl = oauth1Authorize ?? (keepUrls ? existing!.AuthorizeUrl : authorize),
            AccessTokenUrl = oauth1AccessToken ?? (keepUrls ? existing!.AccessTokenUrl : accessToken),
            OAuth2AuthorizeUrl = (oauth2 ? options.AuthorizeUrl : null) ?? (keepOAuth2 ? existing!.OAuth2AuthorizeUrl : oauth2Authorize),
            OAuth2TokenUrl = (oauth2 ? options.AccessTokenUrl : null) ?? (keepOAuth2 ? existing!.OAuth2TokenUrl : oauth2Token),
            SignatureMethod = Method(options.SignatureMethod, existing is not null && existing.Flavor == flavor ? existing.SignatureMethod : defaultMethod),
            RsaKeyPath = options.RsaKey is not null ? Path.GetFullPath(options.RsaKey) : existing?.RsaKeyPath,
            UserPath = options.UserPath ?? (existing is not null && existing.Flavor == flavor ? existing.UserPath ?? userPath : userPath),
            ConsumerKey = CredentialResolver.ConsumerKey(environment, options.ConsumerKey, existing?.ConsumerKey),
            DefaultAccount = existing?.DefaultAccount,
            Accounts = existing?.Accounts ?? [],
        };
        if (host.ConsumerKey is null && !options.WithToken)
        {
            throw new UsageException("a consumer key is needed: pass --consumer-key KEY or set BB_CONSUMER_KEY");
        }

        return host;
    }

    /// <summary>An RSA-SHA1 login needs the consumer's private key (checked before the exchange, after the target is known).</summary>
    /// <exception cref="UsageException">RSA-SHA1 and no <c>--rsa-key</c> (nor a stored one).</exception>
    public void RequireRsaKey()
    {
        if (Host.SignatureMethod == SignatureMethod.RsaSha1 && string.IsNullOrEmpty(Host.RsaKeyPath))
        {
            throw new UsageException("RSA-SHA1 signs with the consumer's private key: pass --rsa-key FILE (a PEM private key)");
        }
    }

    private static string Under(string apiUrl, string path) => ServerProbe.Derive(apiUrl, path).AbsoluteUri;

    /// <summary><c>--signature-method</c>, parsed here once; else <paramref name="fallback"/> (the stored host's, else the flavour's).</summary>
    private static SignatureMethod Method(string? option, SignatureMethod fallback)
    {
        if (option is null)
        {
            return fallback;
        }

        return SignatureMethods.TryParse(option, out var method)
            ? method
            : throw new UsageException($"unknown --signature-method '{option}'; use HMAC-SHA1, HMAC-SHA256, PLAINTEXT or RSA-SHA1");
    }

    private static Uri ParseUrl(string option, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"{option} '{value}' is not an absolute http(s) URL");
}
