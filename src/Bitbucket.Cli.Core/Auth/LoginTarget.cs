using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core.Auth;

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

    /// <summary>Host, URLs, consumer key and signature method, each by <see cref="CredentialResolver"/>'s precedence.</summary>
    /// <exception cref="UsageException">A new host without an API URL, no consumer key, a bad URL or signature method, PLAINTEXT over http.</exception>
    public static LoginTarget Resolve(BbConfig config, Func<string, string?> environment, LoginOptions options)
    {
        var apiUrlOverride = CredentialResolver.ApiUrlOverride(environment, options.ApiUrl);
        var newHostName = apiUrlOverride is null ? null : ParseUrl("--api-url", apiUrlOverride).Authority;
        var name = CredentialResolver.HostName(config, environment, options.Host, newHostName);
        config.TryGetHost(name, out var existing);
        var apiUrl = apiUrlOverride ?? existing?.ApiUrl
            ?? throw new UsageException($"host '{name}' is new: give its --api-url (and the OAuth URLs if they are not Bitbucket's /api/1.0/oauth/...)");

        var host = Draft(name, apiUrl, existing, options, environment);
        var target = new LoginTarget(
            host,
            existing,
            ParseUrl("--request-token-url", host.RequestTokenUrl),
            ParseUrl("--authorize-url", host.AuthorizeUrl),
            ParseUrl("--access-token-url", host.AccessTokenUrl),
            ParseUrl("--api-url", host.ApiUrl));
        foreach (var url in target.Urls)
        {
            SigningCredentials.RequirePlaintextSafe(host.SignatureMethod, url);
        }

        return target;
    }

    /// <summary>The stored host with the flags applied; a new host's OAuth URLs default to Bitbucket Server's.</summary>
    private static HostConfig Draft(string name, string apiUrl, HostConfig? existing, LoginOptions options, Func<string, string?> environment)
    {
        var origin = ParseUrl("--api-url", apiUrl).GetLeftPart(UriPartial.Authority);
        var keepUrls = existing is not null && options.ApiUrl is null;
        var host = new HostConfig
        {
            Name = existing?.Name ?? name,
            ApiUrl = apiUrl.TrimEnd('/'),
            RequestTokenUrl = options.RequestTokenUrl ?? (keepUrls ? existing!.RequestTokenUrl : origin + "/api/1.0/oauth/request_token"),
            AuthorizeUrl = options.AuthorizeUrl ?? (keepUrls ? existing!.AuthorizeUrl : origin + "/api/1.0/oauth/authenticate"),
            AccessTokenUrl = options.AccessTokenUrl ?? (keepUrls ? existing!.AccessTokenUrl : origin + "/api/1.0/oauth/access_token"),
            SignatureMethod = Method(options.SignatureMethod, existing),
            RsaKeyPath = options.RsaKey is not null ? Path.GetFullPath(options.RsaKey) : existing?.RsaKeyPath,
            UserPath = options.UserPath ?? existing?.UserPath,
            ConsumerKey = CredentialResolver.ConsumerKey(environment, options.ConsumerKey, existing?.ConsumerKey),
            DefaultAccount = existing?.DefaultAccount,
            Accounts = existing?.Accounts ?? [],
        };
        return host.ConsumerKey is null
            ? throw new UsageException("a consumer key is needed: pass --consumer-key KEY or set BB_CONSUMER_KEY")
            : host;
    }

    /// <summary><c>--signature-method</c>, parsed here once; else the stored host's; else HMAC-SHA1.</summary>
    private static SignatureMethod Method(string? option, HostConfig? existing)
    {
        if (option is null)
        {
            return existing?.SignatureMethod ?? SignatureMethod.HmacSha1;
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
