using System.Collections.Immutable;
using System.Text;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// A named Bitbucket host: where its API and OAuth endpoints are, how requests are signed, the
/// consumer bb is registered as, and the accounts logged in to it (one of them the default).
/// <c>ToString</c> redacts the consumer secret and every account's token and token secret.
/// </summary>
/// <remarks>
/// Use <see cref="WithAccount"/> and <see cref="WithoutAccount"/> rather than setting
/// <see cref="Accounts"/> and <see cref="DefaultAccount"/> directly: they keep the two consistent.
/// <see cref="BbConfig.WithHost"/> rejects an inconsistent host.
/// </remarks>
internal sealed record HostConfig
{
    /// <summary>Name of the built-in Bitbucket Cloud host, the default host when nothing else is configured.</summary>
    public const string BitbucketCloudName = "bitbucket.org";

    /// <summary>
    /// The built-in Bitbucket Cloud host; it exists even when no configuration file does. Its API
    /// origin is the spec's <c>api.baseUrl</c>, handed in by the tool (this library does not see the spec).
    /// </summary>
    public static HostConfig BitbucketCloud(string apiUrl) => new()
    {
        Name = BitbucketCloudName,
        ApiUrl = apiUrl,
        RequestTokenUrl = "https://bitbucket.org/api/1.0/oauth/request_token",
        AuthorizeUrl = "https://bitbucket.org/api/1.0/oauth/authenticate",
        AccessTokenUrl = "https://bitbucket.org/api/1.0/oauth/access_token",
        SignatureMethod = SignatureMethod.HmacSha1,
        OAuth2AuthorizeUrl = BitbucketCloudOAuth2AuthorizeUrl,
        OAuth2TokenUrl = BitbucketCloudOAuth2TokenUrl,
    };

    /// <summary>Bitbucket Cloud's OAuth 2.0 authorization endpoint (on bitbucket.org, not the API origin).</summary>
    public const string BitbucketCloudOAuth2AuthorizeUrl = "https://bitbucket.org/site/oauth2/authorize";

    /// <summary>Bitbucket Cloud's OAuth 2.0 token endpoint (client authenticated with the consumer key and secret).</summary>
    public const string BitbucketCloudOAuth2TokenUrl = "https://bitbucket.org/site/oauth2/access_token";

    public required string Name { get; init; }

    /// <summary>Which API the host speaks; decides which generated commands run against it.</summary>
    public ApiFlavor Flavor { get; init; } = ApiFlavor.Cloud;

    /// <summary>API origin, e.g. <c>https://api.bitbucket.org</c>.</summary>
    public required string ApiUrl { get; init; }

    /// <summary>Temporary credential request endpoint (RFC 5849 section 2.1).</summary>
    public required string RequestTokenUrl { get; init; }

    /// <summary>Resource owner authorization endpoint (RFC 5849 section 2.2).</summary>
    public required string AuthorizeUrl { get; init; }

    /// <summary>Token request endpoint (RFC 5849 section 2.3).</summary>
    public required string AccessTokenUrl { get; init; }

    /// <summary>How requests are signed; <c>hosts.json</c> stores its RFC 5849 name (<c>HMAC-SHA1</c>).</summary>
    public SignatureMethod SignatureMethod { get; init; } = SignatureMethod.HmacSha1;

    /// <summary>PEM private key for RSA-SHA1 signing.</summary>
    public string? RsaKeyPath { get; init; }

    /// <summary>The current-user endpoint that checks a login (null: <c>/2.0/user</c>).</summary>
    public string? UserPath { get; init; }

    /// <summary>OAuth 2.0 authorization endpoint (RFC 6749 section 3.1); null when the host has none.</summary>
    public string? OAuth2AuthorizeUrl { get; init; }

    /// <summary>OAuth 2.0 token endpoint (RFC 6749 section 3.2); null when the host has none.</summary>
    public string? OAuth2TokenUrl { get; init; }

    public string? ConsumerKey { get; init; }

    public string? ConsumerSecret { get; init; }

    /// <summary>Username of the account used when none is named; null exactly when there are no accounts.</summary>
    public string? DefaultAccount { get; init; }

    /// <summary>Accounts by username (ordinal, case-insensitive).</summary>
    public ImmutableDictionary<string, AccountCredentials> Accounts
    {
        get;
        init => field = value.WithComparers(BbConfig.NameComparer);
    } = ImmutableDictionary.Create<string, AccountCredentials>(BbConfig.NameComparer);

    /// <summary>The named account, or the default one when <paramref name="username"/> is null; null when there is none.</summary>
    public AccountCredentials? GetAccount(string? username = null)
    {
        var key = username ?? DefaultAccount;
        return key is not null && Accounts.TryGetValue(key, out var account) ? account : null;
    }

    /// <summary>Adds or replaces an account (usernames compare case-insensitively).</summary>
    /// <param name="makeDefault">Make it the default account; the first account always becomes the default.</param>
    public HostConfig WithAccount(AccountCredentials account, bool makeDefault = true)
    {
        ArgumentNullException.ThrowIfNull(account);
        var wasDefault = DefaultAccount is not null && BbConfig.NameComparer.Equals(DefaultAccount, account.Username);
        return this with
        {
            // Remove first so a re-login with different capitalisation takes the new spelling.
            Accounts = Accounts.Remove(account.Username).Add(account.Username, account),
            DefaultAccount = makeDefault || wasDefault || DefaultAccount is null ? account.Username : DefaultAccount,
        };
    }

    /// <summary>
    /// Removes an account (logout). When it was the default, the first remaining account by name
    /// becomes the default. When the last account goes, so does the consumer secret: a host nobody
    /// is logged in to keeps no secrets.
    /// </summary>
    /// <exception cref="ConfigException">There is no such account.</exception>
    public HostConfig WithoutAccount(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (!Accounts.ContainsKey(username))
        {
            throw new ConfigException($"no account '{username}' on host '{Name}'");
        }

        var remaining = Accounts.Remove(username);
        var newDefault = DefaultAccount is not null && remaining.ContainsKey(DefaultAccount)
            ? DefaultAccount
            : remaining.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
        return this with
        {
            Accounts = remaining,
            DefaultAccount = newDefault,
            ConsumerSecret = remaining.IsEmpty ? null : ConsumerSecret,
        };
    }

    /// <summary>Makes an existing account the default.</summary>
    /// <exception cref="ConfigException">There is no such account.</exception>
    public HostConfig WithDefaultAccount(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        var account = GetAccount(username) ?? throw new ConfigException($"no account '{username}' on host '{Name}'");
        return this with { DefaultAccount = account.Username };
    }

    /// <summary>What is wrong with this host, in the file's field names, or null when it is valid. Never mentions a secret's value.</summary>
    /// <param name="badSignatureMethod">The file named a signature method bb does not know (the enum cannot hold it).</param>
    internal string? FindProblem(bool badSignatureMethod = false)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim() != Name)
        {
            return "host names must be non-empty without surrounding spaces";
        }

        var where = $"host '{Name}'";
        foreach (var (field, url) in new[]
                 {
                     ("apiUrl", ApiUrl), ("requestTokenUrl", RequestTokenUrl),
                     ("authorizeUrl", AuthorizeUrl), ("accessTokenUrl", AccessTokenUrl),
                 })
        {
            if (string.IsNullOrEmpty(url))
            {
                return $"{where}: {field} is missing";
            }

            if (!IsHttpUrl(url))
            {
                return $"{where}: {field} is not an absolute http(s) URL";
            }
        }

        foreach (var (field, url) in new[] { ("oauth2AuthorizeUrl", OAuth2AuthorizeUrl), ("oauth2TokenUrl", OAuth2TokenUrl) })
        {
            if (url is not null && !IsHttpUrl(url))
            {
                return $"{where}: {field} is not an absolute http(s) URL";
            }
        }

        if (badSignatureMethod)
        {
            return $"{where}: signatureMethod must be one of {string.Join(", ", ConfigFile.SignatureMethodsInFile.Select(SignatureMethods.ToWire))}";
        }

        foreach (var (key, account) in Accounts)
        {
            if (account is null)
            {
                return $"{where}: account '{key}' is empty";
            }

            if (!string.Equals(key, account.Username, StringComparison.Ordinal))
            {
                return $"{where}: account '{key}' holds the credentials of '{account.Username}'";
            }

            if (string.IsNullOrWhiteSpace(key) || key.Trim() != key)
            {
                return $"{where}: usernames must be non-empty without surrounding spaces";
            }

            if (string.IsNullOrEmpty(account.Token))
            {
                return $"{where}: account '{key}': token is missing";
            }

            if (account.TokenSecret is null && account.Scheme == AuthScheme.OAuth1)
            {
                return $"{where}: account '{key}': tokenSecret is missing";
            }
        }

        if (DefaultAccount is null)
        {
            return Accounts.IsEmpty ? null : $"{where}: defaultAccount is missing";
        }

        if (!Accounts.ContainsKey(DefaultAccount))
        {
            return $"{where}: defaultAccount '{DefaultAccount}' is not one of its accounts";
        }

        return null;
    }

    internal static bool IsHttpUrl(string? value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.AppendValue(nameof(Name), Name).Append(", ")
            .AppendValue(nameof(ApiUrl), ApiUrl).Append(", ")
            .AppendValue(nameof(RequestTokenUrl), RequestTokenUrl).Append(", ")
            .AppendValue(nameof(AuthorizeUrl), AuthorizeUrl).Append(", ")
            .AppendValue(nameof(AccessTokenUrl), AccessTokenUrl).Append(", ")
            .AppendValue(nameof(SignatureMethod), SignatureMethods.ToWire(SignatureMethod)).Append(", ")
            .AppendValue(nameof(RsaKeyPath), RsaKeyPath).Append(", ")
            .AppendValue(nameof(UserPath), UserPath).Append(", ")
            .AppendValue(nameof(OAuth2AuthorizeUrl), OAuth2AuthorizeUrl).Append(", ")
            .AppendValue(nameof(OAuth2TokenUrl), OAuth2TokenUrl).Append(", ")
            .AppendValue(nameof(ConsumerKey), ConsumerKey).Append(", ")
            .AppendSecret(nameof(ConsumerSecret), ConsumerSecret).Append(", ")
            .AppendValue(nameof(DefaultAccount), DefaultAccount).Append(", ")
            .Append(nameof(Accounts)).Append(" = [")
            .AppendJoin(", ", Accounts.Keys.Order(StringComparer.Ordinal))
            .Append(']');
        return true;
    }
}
