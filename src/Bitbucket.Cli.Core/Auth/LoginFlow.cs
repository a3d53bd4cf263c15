using System.Net;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Where and how to run the three-legged OAuth 1.0a exchange.</summary>
internal sealed record LoginSettings
{
    public required Uri RequestTokenUrl { get; init; }

    public required Uri AuthorizeUrl { get; init; }

    public required Uri AccessTokenUrl { get; init; }

    /// <summary>The consumer (no token yet): key, secret, signature method, RSA key.</summary>
    public required OAuthCredentials Consumer { get; init; }

    /// <summary>Use the out-of-band flow: callback <c>oob</c>, verifier typed in.</summary>
    public bool OutOfBand { get; init; }

    public bool OpenBrowser { get; init; } = true;

    public int CallbackPort { get; init; }

    /// <summary>How long to wait for the user to approve in the browser.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>The access token the exchange produced.</summary>
internal sealed record AccessToken(string Token, string Secret)
{
    public override string ToString() => $"AccessToken {{ Token = {Token}, Secret = <redacted> }}";
}

/// <summary>
/// Bitbucket's OAuth 1.0a consumer flow, automated: request token with a loopback callback → authorize URL in the
/// browser → verifier captured by <see cref="CallbackListener"/> → access token (RFC 5849 §2).
/// Every request is signed by <see cref="OAuthRequestSigner"/>; every wait has a timeout.
/// </summary>
internal sealed class LoginFlow(HttpClient http, ConsoleIO io, TimeProvider time, INonceSource nonces)
{
    public async Task<AccessToken> RunAsync(LoginSettings settings, CancellationToken cancellationToken)
    {
        using var listener = settings.OutOfBand ? null : CallbackListener.Start(settings.CallbackPort);
        var callback = listener?.CallbackUri.ToString() ?? "oob";

        // §2.1 Temporary credentials.
        var temporary = await RequestTokenAsync(
            settings.RequestTokenUrl, settings.Consumer, [new("oauth_callback", callback)], "request token", cancellationToken).ConfigureAwait(false);
        if (!string.Equals(temporary.Extra.GetValueOrDefault("oauth_callback_confirmed"), "true", StringComparison.Ordinal))
        {
            throw new CliException($"{settings.RequestTokenUrl.Host} did not confirm the callback (oauth_callback_confirmed); it may not speak OAuth 1.0a");
        }

        // §2.2 Resource owner authorization.
        var authorize = AppendQuery(settings.AuthorizeUrl, "oauth_token", temporary.Token);
        string verifier;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(settings.Timeout);
            try
            {
                verifier = listener is null
                    ? await ReadVerifierAsync(authorize, wait.Token).ConfigureAwait(false)
                    : await WaitForCallbackAsync(listener, authorize, temporary.Token, settings, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AuthException($"no authorization arrived within {settings.Timeout.TotalSeconds:0} s; run bb auth login again (or raise --timeout)");
            }
        }

        // §2.3 Token credentials.
        var withRequestToken = settings.Consumer with { Token = temporary.Token, TokenSecret = temporary.Secret };
        var access = await RequestTokenAsync(
            settings.AccessTokenUrl, withRequestToken, [new("oauth_verifier", verifier)], "access token", cancellationToken).ConfigureAwait(false);
        return new AccessToken(access.Token, access.Secret);
    }

    private async Task<string> WaitForCallbackAsync(CallbackListener listener, Uri authorize, string requestToken, LoginSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.OpenBrowser)
        {
            // Alone on its own line, so a script can pick it up.
            await io.Error.WriteLineAsync(authorize.AbsoluteUri).ConfigureAwait(false);
        }
        else if (BrowserLauncher.TryOpen(authorize.AbsoluteUri, io.Environment))
        {
            await io.Error.WriteLineAsync($"Opened your browser to approve bb. If it did not open, visit:\n{authorize.AbsoluteUri}").ConfigureAwait(false);
        }
        else
        {
            await io.Error.WriteLineAsync($"Open this URL in a browser to approve bb:\n{authorize.AbsoluteUri}").ConfigureAwait(false);
        }

        await io.Error.WriteLineAsync($"Waiting for the browser to return to {listener.CallbackUri} …").ConfigureAwait(false);
        var result = await listener.WaitAsync(requestToken, cancellationToken).ConfigureAwait(false);
        return result.Verifier;
    }

    private async Task<string> ReadVerifierAsync(Uri authorize, CancellationToken cancellationToken)
    {
        await io.Error.WriteLineAsync(authorize.AbsoluteUri).ConfigureAwait(false);
        if (io.StdinIsTty)
        {
            await io.Error.WriteAsync("Approve bb in the browser, then enter the verifier (PIN): ").ConfigureAwait(false);
        }

        var line = await io.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return line?.Trim() is { Length: > 0 } pin ? pin : throw new AuthException("no verifier was entered; run bb auth login --oob again");
    }

    private async Task<(string Token, string Secret, IReadOnlyDictionary<string, string> Extra)> RequestTokenAsync(
        Uri url, OAuthCredentials credentials, KeyValuePair<string, string>[] protocolParameters, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.TryAddWithoutValidation("Authorization", OAuthRequestSigner.CreateAuthorizationHeader(
            "POST", url, formBody: null, credentials, nonces.NextNonce(), time.GetUtcNow().ToUnixTimeSeconds(), protocolParameters));

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Token responses are a few hundred bytes; read a bounded prefix only.
        var body = System.Text.Encoding.UTF8.GetString(await HttpBodies.ReadBoundedAsync(response.Content, 64 * 1024, cancellationToken).ConfigureAwait(false));
        if (response.StatusCode is HttpStatusCode.Unauthorized && SignatureMethodRejected(response, body))
        {
            throw new AuthException(
                $"{url.Host} refused {SignatureMethods.ToWire(credentials.Method)} signatures (oauth_problem=signature_method_rejected); "
                + "a Data Center consumer signs with RSA-SHA1: log in with --signature-method RSA-SHA1 --rsa-key FILE");
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            throw new AuthException($"{url.Host} refused the {what} request (HTTP {(int)response.StatusCode}): check the consumer key and secret and the signature method");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"{url.Host} failed the {what} request (HTTP {(int)response.StatusCode} {response.ReasonPhrase})");
        }

        try
        {
            return OAuthTokenResponse.Parse(body);
        }
        catch (FormatException)
        {
            throw new CliException($"{url.Host} answered the {what} request with something that is not an OAuth token response");
        }
    }

    /// <summary>
    /// The provider refused the signature method itself (RFC 5849 leaves the wording to the
    /// provider; the OAuth problem-reporting extension names it <c>signature_method_rejected</c>),
    /// in the <c>WWW-Authenticate</c> header or a form-encoded body.
    /// </summary>
    internal static bool SignatureMethodRejected(HttpResponseMessage response, string body)
    {
        const string Problem = "signature_method_rejected";
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (challenge.Parameter?.Contains("oauth_problem=\"" + Problem + "\"", StringComparison.Ordinal) == true
                || challenge.Parameter?.Contains("oauth_problem=" + Problem, StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return body.Split('&').Any(pair => pair.Trim() == "oauth_problem=" + Problem);
    }

    private static Uri AppendQuery(Uri url, string name, string value)
    {
        var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
        return new Uri(url.AbsoluteUri + separator + OAuthEncoding.PercentEncode(name) + "=" + OAuthEncoding.PercentEncode(value));
    }
}
