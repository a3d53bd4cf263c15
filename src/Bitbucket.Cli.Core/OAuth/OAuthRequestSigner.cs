using System.Globalization;
using System.Text;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// RFC 5849 §3.1 (making requests) and §3.5.1 (the <c>Authorization</c> header): assembles the protocol
/// parameters, signs them with <see cref="OAuthSignatureBase"/> and <see cref="OAuthSignature"/>, and
/// formats or parses the header. No transport, no clock, no randomness: nonce and timestamp come in.
/// </summary>
public static class OAuthRequestSigner
{
    private const string Scheme = "OAuth";

    /// <summary>
    /// The full <c>Authorization</c> header value for one request: <c>OAuth realm="…", oauth_consumer_key="…",
    /// …, oauth_signature="…"</c>, every name and value percent-encoded (§3.5.1). The RFC's steps, in order:
    /// <see cref="ProtocolParameters"/> (§3.1) → <see cref="OAuthSignatureBase.CollectParameters"/> (§3.4.1.3.1) →
    /// <see cref="OAuthSignatureBase.BaseString"/> (§3.4.1.1, which normalises the parameters, §3.4.1.3.2, and
    /// builds the base string URI, §3.4.1.2) → <see cref="OAuthSignature.Sign"/> (§3.4.2–§3.4.4) →
    /// <see cref="FormatAuthorizationHeader"/> (§3.5.1). This is the only signing path: the signing handler and
    /// the login flow call it, and the local provider verifies with the same step functions.
    /// </summary>
    /// <param name="formBody">The body when it is single-part <c>application/x-www-form-urlencoded</c>; otherwise null (it is then not signed).</param>
    /// <param name="extraOAuthParameters"><c>oauth_callback</c> (§2.1) or <c>oauth_verifier</c> (§2.3); they are signed and sent.</param>
    public static string CreateAuthorizationHeader(
        string method,
        Uri uri,
        string? formBody,
        OAuthCredentials credentials,
        string nonce,
        long timestamp,
        IEnumerable<KeyValuePair<string, string>>? extraOAuthParameters = null)
    {
        var protocol = ProtocolParameters(credentials, nonce, timestamp, extraOAuthParameters);
        var baseString = OAuthSignatureBase.BaseString(method, uri, OAuthSignatureBase.CollectParameters(uri, protocol, formBody));
        var signature = OAuthSignature.Sign(credentials.Method, baseString, credentials.ConsumerSecret, credentials.TokenSecret, credentials.PrivateKey);
        return FormatAuthorizationHeader(credentials.Realm, [.. protocol, new("oauth_signature", signature)]);
    }

    /// <summary>
    /// §3.1 step 1: <c>oauth_consumer_key</c>, <c>oauth_token</c> (omitted when there is none),
    /// <c>oauth_signature_method</c>, <c>oauth_timestamp</c>, <c>oauth_nonce</c>, <c>oauth_version</c>, then the extras.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ProtocolParameters(
        OAuthCredentials credentials,
        string nonce,
        long timestamp,
        IEnumerable<KeyValuePair<string, string>>? extraOAuthParameters = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(credentials.ConsumerKey, nameof(credentials));
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestamp); // §3.3: a positive integer

        var parameters = new List<KeyValuePair<string, string>> { new("oauth_consumer_key", credentials.ConsumerKey) };
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            parameters.Add(new("oauth_token", credentials.Token));
        }

        parameters.Add(new("oauth_signature_method", SignatureMethods.ToWire(credentials.Method)));
        parameters.Add(new("oauth_timestamp", timestamp.ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new("oauth_nonce", nonce));
        parameters.Add(new("oauth_version", "1.0"));

        foreach (var extra in extraOAuthParameters ?? [])
        {
            // §3.1 step 2: each protocol parameter appears once; the signature is added last, by us.
            if (!extra.Key.StartsWith("oauth_", StringComparison.Ordinal) || extra.Key == "oauth_signature"
                || parameters.Exists(p => p.Key == extra.Key))
            {
                throw new ArgumentException(
                    $"Extra OAuth parameter '{extra.Key}' is not allowed: it must start with 'oauth_' and must not repeat a protocol parameter or be 'oauth_signature'.",
                    nameof(extraOAuthParameters));
            }

            parameters.Add(extra);
        }

        return parameters;
    }

    /// <summary>§3.5.1: <c>OAuth name="value", …</c> with names and values percent-encoded (§3.6); realm first when set.</summary>
    public static string FormatAuthorizationHeader(string? realm, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var all = realm is null ? parameters : parameters.Prepend(new("realm", realm));
        var builder = new StringBuilder(Scheme).Append(' ');
        var first = true;
        foreach (var (name, value) in all)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append(OAuthEncoding.PercentEncode(name)).Append("=\"").Append(OAuthEncoding.PercentEncode(value)).Append('"');
        }

        return builder.ToString();
    }

    /// <summary>
    /// For servers: parses <c>OAuth name="value", …</c> (§3.5.1; the scheme is case-insensitive, separators
    /// may carry linear whitespace, an unquoted token value is tolerated as RFC 2617 allows) into
    /// percent-decoded pairs, <c>realm</c> included, in order. Messages name positions and parameter
    /// names but never echo values (a PLAINTEXT signature is the secrets).
    /// </summary>
    /// <exception cref="FormatException">The value is not a well-formed OAuth header.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseAuthorizationHeader(string headerValue)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var text = headerValue.Trim();
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || (text.Length > Scheme.Length && !IsSpace(text[Scheme.Length])))
        {
            throw new FormatException("Not an OAuth Authorization header: it must start with the 'OAuth' scheme followed by a space.");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        var i = Scheme.Length;
        while (true)
        {
            // Empty list elements (", ,") are allowed by RFC 2617's #rule.
            while (i < text.Length && (IsSpace(text[i]) || text[i] == ','))
            {
                i++;
            }

            if (i == text.Length)
            {
                return pairs;
            }

            var nameStart = i;
            while (i < text.Length && text[i] is not ('=' or ',' or '"') && !IsSpace(text[i]))
            {
                i++;
            }

            var name = text[nameStart..i];
            if (name.Length == 0)
            {
                throw new FormatException($"Malformed OAuth Authorization header: expected a parameter name at position {nameStart}.");
            }

            SkipSpaces(text, ref i);
            if (i == text.Length || text[i] != '=')
            {
                throw new FormatException($"Malformed OAuth Authorization header: parameter '{Shorten(name)}' has no '=' and value.");
            }

            i++;
            SkipSpaces(text, ref i);
            var value = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i, name) : ReadToken(text, ref i);
            pairs.Add(new(OAuthEncoding.PercentDecode(name), OAuthEncoding.PercentDecode(value)));

            SkipSpaces(text, ref i);
            if (i < text.Length && text[i] != ',')
            {
                throw new FormatException($"Malformed OAuth Authorization header: expected ',' after parameter '{Shorten(name)}' at position {i}.");
            }
        }
    }

    private static string ReadQuoted(string text, ref int i, string name)
    {
        var builder = new StringBuilder();
        i++; // opening quote
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c == '\\' && i < text.Length)
            {
                c = text[i++]; // RFC 2616 quoted-pair
            }

            builder.Append(c);
        }

        throw new FormatException($"Malformed OAuth Authorization header: the value of parameter '{Shorten(name)}' has no closing quote.");
    }

    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] != ',' && !IsSpace(text[i]))
        {
            i++;
        }

        return text[start..i];
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
