using System.Text;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core.Config;

/// <summary>Where a credential came from, for <c>bb auth status</c> and error messages.</summary>
internal enum CredentialSource
{
    /// <summary>There is no such credential.</summary>
    None,

    /// <summary>The stored configuration (<c>hosts.json</c>).</summary>
    Config,

    /// <summary>Environment variables (<c>BB_CONSUMER_KEY</c>, <c>BB_ACCESS_TOKEN</c>, …).</summary>
    Environment,
}

/// <summary>
/// The effective settings for one invocation: the selected host after command-line and
/// environment overrides. <c>ToString</c> redacts the consumer secret, token and token secret.
/// </summary>
internal sealed record ResolvedHost
{
    public required string HostName { get; init; }

    /// <summary>Which API the host speaks.</summary>
    public ApiFlavor Flavor { get; init; }

    /// <summary>API origin without a trailing slash.</summary>
    public required string ApiUrl { get; init; }

    public required string RequestTokenUrl { get; init; }

    public required string AuthorizeUrl { get; init; }

    public required string AccessTokenUrl { get; init; }

    public required SignatureMethod SignatureMethod { get; init; }

    public string? RsaKeyPath { get; init; }

    /// <summary>The current-user endpoint (null: <c>/2.0/user</c>).</summary>
    public string? UserPath { get; init; }

    public string? ConsumerKey { get; init; }

    /// <summary>Null when none is known (e.g. RSA-SHA1 consumers have none).</summary>
    public string? ConsumerSecret { get; init; }

    public CredentialSource ConsumerSource { get; init; }

    /// <summary>The stored account in use; null without one or when the token comes from the environment.</summary>
    public string? Username { get; init; }

    public string? Token { get; init; }

    /// <summary>Null when none is known; an OAuth signer treats that as empty (RFC 5849 section 3.4.2).</summary>
    public string? TokenSecret { get; init; }

    public CredentialSource TokenSource { get; init; }

    /// <summary>How requests are authenticated: the stored account's scheme, OAuth 1.0a for <c>BB_ACCESS_TOKEN</c>, bearer or basic for <c>BB_TOKEN</c>.</summary>
    public AuthScheme Scheme { get; init; } = AuthScheme.OAuth1;

    /// <summary>OAuth 2.0: the refresh token.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>OAuth 2.0: when the access token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The host's OAuth 2.0 token endpoint (refreshes go there, with the consumer as the client).</summary>
    public string? OAuth2TokenUrl { get; init; }

    /// <summary>The API URL came from <c>--api-url</c> or <c>BB_API_URL</c>, not from the host.</summary>
    public bool ApiUrlOverridden { get; init; }

    public bool HasConsumer => ConsumerKey is not null;

    public bool HasToken => Token is not null;

    /// <summary>
    /// Something to authenticate with: a token of any scheme, or (OAuth 1.0a, two-legged) a consumer
    /// given with its secret through the environment. A stored consumer key alone, as a logout
    /// leaves it, is not a login.
    /// </summary>
    public bool HasCredentials => Scheme == AuthScheme.OAuth1
        ? HasConsumer && (HasToken || ConsumerSource == CredentialSource.Environment)
        : HasToken;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.AppendValue(nameof(HostName), HostName).Append(", ")
            .AppendValue(nameof(ApiUrl), ApiUrl).Append(", ")
            .AppendValue(nameof(RequestTokenUrl), RequestTokenUrl).Append(", ")
            .AppendValue(nameof(AuthorizeUrl), AuthorizeUrl).Append(", ")
            .AppendValue(nameof(AccessTokenUrl), AccessTokenUrl).Append(", ")
            .AppendValue(nameof(SignatureMethod), SignatureMethods.ToWire(SignatureMethod)).Append(", ")
            .AppendValue(nameof(RsaKeyPath), RsaKeyPath).Append(", ")
            .AppendValue(nameof(UserPath), UserPath).Append(", ")
            .AppendValue(nameof(ConsumerKey), ConsumerKey).Append(", ")
            .AppendSecret(nameof(ConsumerSecret), ConsumerSecret).Append(", ")
            .AppendValue(nameof(ConsumerSource), ConsumerSource.ToString()).Append(", ")
            .AppendValue(nameof(Username), Username).Append(", ")
            .AppendSecret(nameof(Token), Token).Append(", ")
            .AppendSecret(nameof(TokenSecret), TokenSecret).Append(", ")
            .AppendValue(nameof(TokenSource), TokenSource.ToString());
        if (Scheme != AuthScheme.OAuth1)
        {
            builder.Append(", ").AppendValue(nameof(Scheme), AuthSchemes.ToName(Scheme)).Append(", ")
                .AppendSecret(nameof(RefreshToken), RefreshToken);
        }

        return true;
    }
}
