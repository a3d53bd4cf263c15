using System.Globalization;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// RFC 5849 §3.4.1 — the signature base string, built by a chain of pure steps:
/// <see cref="CollectParameters"/> (§3.4.1.3.1) → <see cref="NormalizeParameters"/> (§3.4.1.3.2) →
/// <see cref="BaseStringUri"/> (§3.4.1.2) → <see cref="BaseString"/> (§3.4.1.1).
/// </summary>
public static class OAuthSignatureBase
{
    /// <summary>
    /// §3.4.1.2: scheme and host in lower case, the port only when it is not the scheme's default
    /// (80 for http, 443 for https), then the path exactly as it goes on the wire, without query or fragment.
    /// </summary>
    /// <remarks>
    /// The path is <see cref="Uri.AbsolutePath"/>: the escaped form that <c>HttpClient</c> puts in the
    /// request line, so it is what the server sees. The host is the IDN (punycode) form that goes in
    /// the <c>Host</c> header (§3.4.1.2 item 2: host and port must match that header).
    /// </remarks>
    public static string BaseStringUri(Uri uri)
    {
        RequireAbsolute(uri);
        var scheme = uri.Scheme.ToLowerInvariant();
        var host = uri.IdnHost.ToLowerInvariant();
        if (uri.HostNameType == UriHostNameType.IPv6 && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        var authority = uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var path = uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;
        return scheme + "://" + authority + path;
    }

    /// <summary>
    /// §3.4.1.3.1: the query component (form-decoded), the protocol parameters (without <c>realm</c> and
    /// <c>oauth_signature</c>), and the form-encoded entity-body when there is one. Pass
    /// <paramref name="formBody"/> only for single-part <c>application/x-www-form-urlencoded</c> bodies.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> CollectParameters(
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> oauthParameters,
        string? formBody)
    {
        RequireAbsolute(uri);
        ArgumentNullException.ThrowIfNull(oauthParameters);
        var parameters = new List<KeyValuePair<string, string>>();
        var query = uri.Query;
        if (query.Length > 1)
        {
            parameters.AddRange(OAuthEncoding.ParseQueryOrForm(query[1..]));
        }

        foreach (var parameter in oauthParameters)
        {
            if (!IsExcluded(parameter.Key))
            {
                parameters.Add(parameter);
            }
        }

        if (!string.IsNullOrEmpty(formBody))
        {
            parameters.AddRange(OAuthEncoding.ParseQueryOrForm(formBody));
        }

        return parameters;
    }

    /// <summary>
    /// §3.4.1.3.2: encode every name and value (§3.6), sort by encoded name then encoded value in byte
    /// order, join each pair with <c>=</c> (even when the value is empty) and the pairs with <c>&amp;</c>.
    /// <c>oauth_signature</c> (§3.4.1.3.1) and <c>realm</c> are never signed.
    /// </summary>
    public static string NormalizeParameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var encoded = parameters
            .Where(p => !IsExcluded(p.Key))
            .Select(p => (Name: OAuthEncoding.PercentEncode(p.Key), Value: OAuthEncoding.PercentEncode(p.Value)))
            .ToList();

        // Encoded strings are ASCII, so ordinal order is byte order.
        encoded.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', encoded.Select(static p => p.Name + "=" + p.Value));
    }

    /// <summary>
    /// §3.4.1.1: <c>UPPER(method) &amp; enc(base string URI) &amp; enc(normalized parameters)</c>,
    /// where <paramref name="parameters"/> are the collected parameters of §3.4.1.3.1.
    /// </summary>
    public static string BaseString(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return OAuthEncoding.PercentEncode(method.ToUpperInvariant())
            + "&" + OAuthEncoding.PercentEncode(BaseStringUri(uri))
            + "&" + OAuthEncoding.PercentEncode(NormalizeParameters(parameters));
    }

    private static bool IsExcluded(string name) => name is "oauth_signature" or "realm";

    private static void RequireAbsolute(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("OAuth signing needs an absolute request URI.", nameof(uri));
        }
    }
}
