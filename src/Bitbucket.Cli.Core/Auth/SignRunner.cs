using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Everything <c>bb auth sign</c> was given.</summary>
/// <param name="Method">The HTTP method the request will use.</param>
/// <param name="Url">The exact absolute URL the request will go to, query included.</param>
/// <param name="Fields"><c>key=value</c> form fields (only with <paramref name="Form"/>).</param>
/// <param name="Form">The body is <c>application/x-www-form-urlencoded</c> with <paramref name="Fields"/>, so they are signed.</param>
/// <param name="Host">The <c>--host</c> value, if given.</param>
internal sealed record SignOptions(string Method, string Url, IReadOnlyList<string> Fields, bool Form, string? Host);

/// <summary>
/// <c>bb auth sign METHOD URL</c>: prints a freshly signed OAuth 1.0a <c>Authorization</c> header value
/// for exactly that request, so tools that cannot sign (curl, scripts) can use the stored login.
/// The signature covers the URL's query and, with <c>--form</c>, the form fields (RFC 5849 §3.4.1.3.1);
/// it is made by the same signer the HTTP pipeline uses. Only the host's API and OAuth origins are
/// signed for: a header for another origin would hand the stored login's signature to a stranger.
/// </summary>
internal sealed class SignRunner(ConsoleIO io, ConfigStore store, TimeProvider time, INonceSource nonces)
{
    public Task<int> SignAsync(SignOptions options)
    {
        var method = Method(options.Method);
        var uri = AbsoluteUrl(options.Url);
        if (options.Fields.Count > 0 && !options.Form)
        {
            throw new UsageException("-f fields are form fields: add --form (query parameters belong in the URL)");
        }

        var config = store.Load();
        var hostName = HostFor(config, options.Host, uri);
        var host = CredentialResolver.Resolve(config, io.Environment, hostName);
        var origin = HttpPipeline.OriginOf(uri);
        if (!AllowedOrigins(host).Contains(origin, StringComparer.Ordinal))
        {
            throw new UsageException(
                $"refusing to sign for {origin}: it is not the API or OAuth origin of host '{host.HostName}' ({HttpPipeline.OriginOf(ApiSessions.ApiBase(host.ApiUrl))}); pick the host with --host");
        }

        if (!host.HasConsumer || !host.HasToken)
        {
            throw new AuthException($"no stored OAuth 1.0a login for host '{host.HostName}'; run bb auth login --host {host.HostName}");
        }

        var credentials = SigningCredentials.For(host, uri, io.Error)!;
        var formBody = options.Form ? OAuthEncoding.FormEncode(ParseFields(options.Fields)) : null;
        var header = OAuthRequestSigner.CreateAuthorizationHeader(
            method, uri, formBody, credentials, nonces.NextNonce(), time.GetUtcNow().ToUnixTimeSeconds());
        io.Out.WriteLine(header);
        io.Out.Flush();
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>
    /// <c>--host</c>, else <c>BB_HOST</c>, else the stored host whose API URL the request goes to (the
    /// default host first, then the longest matching API URL), else the default host.
    /// </summary>
    internal static string HostFor(BbConfig config, Func<string, string?> environment, string? hostOption, Uri uri)
    {
        var (explicitName, _) = CredentialResolver.Pick(hostOption, environment, EnvironmentVariables.Host, null);
        if (explicitName is not null)
        {
            return explicitName;
        }

        var origin = HttpPipeline.OriginOf(uri);
        var matches = config.Hosts.Values
            .Where(h => HostConfig.IsHttpUrl(h.ApiUrl) && HttpPipeline.OriginOf(new Uri(h.ApiUrl)) == origin)
            .ToList();
        if (matches.Count == 0)
        {
            return config.DefaultHost;
        }

        if (matches.Exists(h => BbConfig.NameComparer.Equals(h.Name, config.DefaultHost)))
        {
            return config.DefaultHost;
        }

        return matches
            .OrderByDescending(h => uri.AbsolutePath.StartsWith(new Uri(h.ApiUrl).AbsolutePath.TrimEnd('/'), StringComparison.Ordinal) ? new Uri(h.ApiUrl).AbsolutePath.TrimEnd('/').Length : -1)
            .ThenBy(h => h.Name, StringComparer.Ordinal)
            .First().Name;
    }

    private string HostFor(BbConfig config, string? hostOption, Uri uri) => HostFor(config, io.Environment, hostOption, uri);

    /// <summary>The API origin and the origins of the OAuth endpoints (request token, authorize, access token).</summary>
    private static IEnumerable<string> AllowedOrigins(ResolvedHost host)
    {
        yield return HttpPipeline.OriginOf(ApiSessions.ApiBase(host.ApiUrl));
        foreach (var url in new[] { host.RequestTokenUrl, host.AuthorizeUrl, host.AccessTokenUrl })
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var parsed))
            {
                yield return HttpPipeline.OriginOf(parsed);
            }
        }
    }

    /// <summary>An HTTP method token (RFC 9110 §5.6.2), upper-cased as curl sends it.</summary>
    private static string Method(string method)
    {
        if (string.IsNullOrEmpty(method) || !method.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
        {
            throw new UsageException("METHOD must be an HTTP method such as GET or POST");
        }

        return method.ToUpperInvariant();
    }

    private static Uri AbsoluteUrl(string url)
    {
        // The URL is not echoed: its query may carry something private.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException("URL must be an absolute http(s) URL, the exact one the request will use");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new UsageException("URL must not carry user:password");
        }

        return uri;
    }

    private static List<KeyValuePair<string, string>> ParseFields(IReadOnlyList<string> fields)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var field in fields)
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"field '{field}' is not key=value (use -f key=value)");
            }

            pairs.Add(new(field[..eq], field[(eq + 1)..]));
        }

        return pairs;
    }
}
