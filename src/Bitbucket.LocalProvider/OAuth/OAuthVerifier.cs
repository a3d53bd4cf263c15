using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.LocalProvider.OAuth;

/// <summary>What a request must present, which decides the token it may carry.</summary>
internal enum TokenRequirement
{
    /// <summary>Temporary credential request (RFC 5849 §2.1): no token.</summary>
    None,

    /// <summary>Token request (RFC 5849 §2.3): an approved request token.</summary>
    RequestToken,

    /// <summary>A protected resource (RFC 5849 §3): an access token.</summary>
    AccessToken,
}

/// <summary>A request whose signature, timestamp, nonce and token checked out.</summary>
internal sealed record VerifiedRequest(
    LocalConsumer Consumer,
    IReadOnlyDictionary<string, string> Protocol,
    RequestToken? RequestToken,
    AccessToken? AccessToken);

/// <summary>
/// Why a request was refused; <see cref="StatusCode"/> follows RFC 5849 §3.2 (400 malformed, 401 refused).
/// <see cref="Problem"/> is the OAuth Problem Reporting name (<c>oauth_problem</c>) the Data Center flavour reports.
/// </summary>
internal sealed record OAuthFailure(int StatusCode, string Reason, string? Detail = null, string Problem = "parameter_rejected")
{
    public static OAuthFailure BadRequest(string reason, string problem = "parameter_rejected") =>
        new(StatusCodes.Status400BadRequest, reason, Problem: problem);

    public static OAuthFailure Unauthorized(string reason, string? detail = null, string problem = "token_rejected") =>
        new(StatusCodes.Status401Unauthorized, reason, detail, problem);
}

/// <summary>
/// Server-side RFC 5849 §3.2 verification. The base string is rebuilt from the request as received:
/// scheme and authority from the Host header, path and query from the raw request target, so the
/// escaping is exactly the client's.
/// </summary>
internal sealed class OAuthVerifier(
    IReadOnlyList<LocalConsumer> consumers,
    TokenStore tokens,
    TimeProvider time,
    TimeSpan timestampWindow,
    bool exposeBaseString,
    bool rsaOnly = false)
{
    private const string Realm = "realm";
    private const string Signature = "oauth_signature";

    public LocalConsumer? FindConsumer(string key) => consumers.FirstOrDefault(c => c.Key == key);

    /// <summary>Bearer and Basic logins (OAuth 2.0, HTTP access tokens, API tokens), checked before OAuth 1.0a for protected resources.</summary>
    public OAuth2.BearerTokens? Bearer { get; init; }

    public bool TryVerify(HttpContext context, TokenRequirement requirement, out VerifiedRequest verified, out OAuthFailure failure)
    {
        verified = null!;
        var captured = CapturedRequest.Of(context);
        var result = (requirement == TokenRequirement.AccessToken ? Bearer?.Authenticate(context) : null) ?? Verify(context, captured, requirement);
        if (result.Failure is { } f)
        {
            failure = f;
            captured.OAuthError = f.Reason;
            return false;
        }

        failure = null!;
        verified = result.Verified!;
        return true;
    }

    private (VerifiedRequest? Verified, OAuthFailure? Failure) Verify(HttpContext context, CapturedRequest captured, TokenRequirement requirement)
    {
        var target = RequestTarget.Of(context);

        // RFC 5849 §3.5: protocol parameters may come in the Authorization header, the form body or the query.
        if (ReadAuthorizationHeaders(context, out var headerParameters) is { } headerFailure)
        {
            return Fail(headerFailure);
        }

        var queryParameters = OAuthEncoding.ParseQueryOrForm(target.Query.TrimStart('?'));
        var bodyParameters = captured.IsForm ? OAuthEncoding.ParseQueryOrForm(captured.Body) : [];
        var protocolSources = headerParameters
            .Concat(queryParameters.Where(IsProtocol))
            .Concat(bodyParameters.Where(IsProtocol));
        if (CollectProtocol(protocolSources, out var protocol) is { } protocolFailure)
        {
            return Fail(protocolFailure);
        }

        if (ReadSignatureMethod(protocol, out var method) is { } methodFailure)
        {
            return Fail(methodFailure);
        }

        if (FindSigningConsumer(protocol, method, out var consumer) is { } consumerFailure)
        {
            return Fail(consumerFailure);
        }

        if (CheckTimestamp(protocol, out var timestampText) is { } timestampFailure)
        {
            return Fail(timestampFailure);
        }

        var (requestToken, accessToken, tokenFailure) = FindToken(protocol.GetValueOrDefault("oauth_token"), consumer, requirement);
        if (tokenFailure is not null)
        {
            return Fail(tokenFailure);
        }

        if (method == SignatureMethod.RsaSha1 && consumer.RsaPublicKey is null)
        {
            return Fail(OAuthFailure.Unauthorized("RSA-SHA1 is not enabled for this consumer (start the provider with --rsa-public-key)", problem: "signature_method_rejected"));
        }

        var baseString = BaseString(context, target, queryParameters.Concat(headerParameters).Concat(bodyParameters));
        captured.BaseString = baseString;
        var tokenSecret = requestToken?.Secret ?? accessToken?.Secret;
        if (!OAuthSignature.Verify(method, baseString, protocol[Signature], consumer.Secret, tokenSecret, consumer.RsaPublicKey))
        {
            return Fail(OAuthFailure.Unauthorized("signature invalid", exposeBaseString ? "base string: " + baseString : null, "signature_invalid"));
        }

        // The nonce is recorded only for a genuine request, so nobody can burn another client's nonces.
        if (protocol.TryGetValue("oauth_nonce", out var nonce)
            && !tokens.TryUseNonce(consumer.Key, timestampText ?? "", nonce))
        {
            return Fail(OAuthFailure.Unauthorized("nonce already used", problem: "nonce_used"));
        }

        return (new VerifiedRequest(consumer, protocol, requestToken, accessToken), null);
    }

    /// <summary>The protocol parameters of every <c>OAuth</c> Authorization header but the realm; a malformed header is a bad request.</summary>
    private static OAuthFailure? ReadAuthorizationHeaders(HttpContext context, out List<KeyValuePair<string, string>> headerParameters)
    {
        headerParameters = [];
        foreach (var value in context.Request.Headers.Authorization)
        {
            if (value is null || !value.TrimStart().StartsWith("OAuth", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                headerParameters.AddRange(OAuthRequestSigner.ParseAuthorizationHeader(value).Where(p => p.Key != Realm));
            }
            catch (FormatException e)
            {
                return OAuthFailure.BadRequest(e.Message);
            }
        }

        return null;
    }

    /// <summary>
    /// The protocol parameters by name; fails when one is duplicated, when there are none, when a required
    /// one is missing or when <c>oauth_version</c> is not 1.0.
    /// </summary>
    private static OAuthFailure? CollectProtocol(IEnumerable<KeyValuePair<string, string>> protocolSources, out Dictionary<string, string> protocol)
    {
        protocol = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in protocolSources)
        {
            // §3.2: a duplicated protocol parameter is a bad request.
            if (!protocol.TryAdd(name, value))
            {
                return OAuthFailure.BadRequest($"duplicate parameter {name}");
            }
        }

        if (protocol.Count == 0)
        {
            return OAuthFailure.Unauthorized("missing OAuth credentials", problem: "parameter_absent");
        }

        foreach (var required in new[] { "oauth_consumer_key", "oauth_signature_method", Signature })
        {
            if (!protocol.ContainsKey(required))
            {
                return OAuthFailure.BadRequest($"missing parameter {required}", "parameter_absent");
            }
        }

        if (protocol.TryGetValue("oauth_version", out var version) && version != "1.0")
        {
            return OAuthFailure.BadRequest($"unsupported oauth_version {version}", "version_rejected");
        }

        return null;
    }

    /// <summary>The signature method, and with any method but PLAINTEXT the timestamp and nonce it needs.</summary>
    private static OAuthFailure? ReadSignatureMethod(Dictionary<string, string> protocol, out SignatureMethod method)
    {
        if (!SignatureMethods.TryParse(protocol["oauth_signature_method"], out method))
        {
            return OAuthFailure.BadRequest($"unsupported signature method {protocol["oauth_signature_method"]}", "signature_method_rejected");
        }

        // §3.1: timestamp and nonce may be omitted with PLAINTEXT only.
        if (method != SignatureMethod.Plaintext)
        {
            foreach (var required in new[] { "oauth_timestamp", "oauth_nonce" })
            {
                if (!protocol.ContainsKey(required))
                {
                    return OAuthFailure.BadRequest($"missing parameter {required}", "parameter_absent");
                }
            }
        }

        return null;
    }

    /// <summary>The consumer <c>oauth_consumer_key</c> names; with Data Center's RSA-only application links, the method must be RSA-SHA1.</summary>
    private OAuthFailure? FindSigningConsumer(Dictionary<string, string> protocol, SignatureMethod method, out LocalConsumer consumer)
    {
        if (FindConsumer(protocol["oauth_consumer_key"]) is not { } found)
        {
            consumer = null!;
            return OAuthFailure.Unauthorized("unknown consumer key", problem: "consumer_key_unknown");
        }

        consumer = found;

        // Data Center's application links sign with RSA-SHA1 only; a shared-secret signature is refused outright.
        if (rsaOnly && method != SignatureMethod.RsaSha1)
        {
            return OAuthFailure.Unauthorized(
                $"signature method {protocol["oauth_signature_method"]} is not accepted: this consumer signs with RSA-SHA1",
                problem: "signature_method_rejected");
        }

        return null;
    }

    /// <summary>A timestamp, when sent, must be a number of seconds within the window around the server's clock.</summary>
    private OAuthFailure? CheckTimestamp(Dictionary<string, string> protocol, out string? timestampText)
    {
        if (protocol.TryGetValue("oauth_timestamp", out timestampText))
        {
            if (!long.TryParse(timestampText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var timestamp))
            {
                return OAuthFailure.BadRequest("oauth_timestamp is not a number of seconds");
            }

            var now = time.GetUtcNow().ToUnixTimeSeconds();
            if (Math.Abs(now - timestamp) > timestampWindow.TotalSeconds)
            {
                return OAuthFailure.Unauthorized(
                    $"timestamp is more than {timestampWindow.TotalSeconds:0} seconds from the server's clock",
                    $"server time is {now}",
                    "timestamp_refused");
            }
        }

        return null;
    }

    private (RequestToken?, AccessToken?, OAuthFailure?) FindToken(string? token, LocalConsumer consumer, TokenRequirement requirement)
    {
        switch (requirement)
        {
            case TokenRequirement.None:
                return string.IsNullOrEmpty(token)
                    ? (null, null, null)
                    : (null, null, OAuthFailure.BadRequest("oauth_token must not be sent when asking for a request token"));

            case TokenRequirement.RequestToken:
                if (string.IsNullOrEmpty(token))
                {
                    return (null, null, OAuthFailure.BadRequest("missing parameter oauth_token", "parameter_absent"));
                }

                var request = tokens.FindRequestToken(token);
                if (request is null)
                {
                    return (null, null, OAuthFailure.Unauthorized(tokens.FindAccessToken(token) is null
                        ? "invalid or expired request token"
                        : "an access token cannot be exchanged for an access token"));
                }

                return request.ConsumerKey == consumer.Key
                    ? (request, null, null)
                    : (null, null, OAuthFailure.Unauthorized("token was issued to another consumer"));

            default:
                if (string.IsNullOrEmpty(token))
                {
                    return (null, null, OAuthFailure.Unauthorized("missing access token (oauth_token)"));
                }

                var access = tokens.FindAccessToken(token);
                if (access is null)
                {
                    return (null, null, OAuthFailure.Unauthorized(tokens.FindRequestToken(token) is null
                        ? "invalid access token"
                        : "a request token cannot be used as an access token"));
                }

                return access.ConsumerKey == consumer.Key
                    ? (null, access, null)
                    : (null, null, OAuthFailure.Unauthorized("token was issued to another consumer"));
        }
    }

    /// <summary>
    /// RFC 5849 §3.4.1.1 from the request as received. The base string URI (§3.4.1.2) takes scheme, host
    /// and port from the Host header through <see cref="OAuthSignatureBase.BaseStringUri"/>, but the path
    /// is the raw target's, because <see cref="Uri"/> would re-canonicalise its escaping. The parameters
    /// (§3.4.1.3.1) are the raw query's, the header's and the form body's; NormalizeParameters drops
    /// <c>oauth_signature</c> and <c>realm</c>.
    /// </summary>
    private static string BaseString(HttpContext context, RequestTarget target, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var authority = OAuthSignatureBase.BaseStringUri(new Uri(RequestTarget.Origin(context) + "/")).TrimEnd('/');
        return OAuthEncoding.PercentEncode(context.Request.Method.ToUpperInvariant())
            + "&" + OAuthEncoding.PercentEncode(authority + target.Path)
            + "&" + OAuthEncoding.PercentEncode(OAuthSignatureBase.NormalizeParameters(parameters));
    }

    private static bool IsProtocol(KeyValuePair<string, string> parameter) =>
        parameter.Key.StartsWith("oauth_", StringComparison.Ordinal);

    private static (VerifiedRequest?, OAuthFailure?) Fail(OAuthFailure failure) => (null, failure);
}
