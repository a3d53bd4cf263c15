using System.Security.Cryptography;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>
/// The query fields a callback carries: OAuth 1.0a's <c>oauth_token</c>/<c>oauth_verifier</c>/<c>denied</c>
/// (the denial names the token), or OAuth 2.0's <c>state</c>/<c>code</c>/<c>error</c> (RFC 6749 section 4.1.2).
/// </summary>
internal sealed record CallbackFields(string Token, string Verifier, string Denied, bool DeniedNamesToken)
{
    public static CallbackFields OAuth1 { get; } = new("oauth_token", "oauth_verifier", "denied", DeniedNamesToken: true);

    public static CallbackFields OAuth2 { get; } = new("state", "code", "error", DeniedNamesToken: false);
}

/// <summary>Where and how to run the OAuth 2.0 authorization-code grant.</summary>
internal sealed record OAuth2Settings
{
    public required Uri AuthorizeUrl { get; init; }

    public required Uri TokenUrl { get; init; }

    /// <summary>The consumer key, the OAuth 2.0 client id.</summary>
    public required string ClientId { get; init; }

    public bool OpenBrowser { get; init; } = true;

    public int CallbackPort { get; init; }

    /// <summary>How long to wait for the user to approve in the browser.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The OAuth 2.0 authorization-code grant (RFC 6749 section 4.1) through the same loopback listener and
/// browser as OAuth 1.0a: authorize URL with a fresh <c>state</c> → the code comes back to
/// <see cref="CallbackListener"/> with that state (any other state is refused) → code exchanged at the
/// token endpoint by <paramref name="tokenHttp"/>, which authenticates the client with HTTP Basic.
/// </summary>
internal sealed class OAuth2Flow(TokenEndpointClient tokenHttp, ConsoleIO io, TimeProvider time)
{
    public async Task<OAuth2Tokens> RunAsync(OAuth2Settings settings, CancellationToken cancellationToken)
    {
        using var listener = CallbackListener.Start(settings.CallbackPort);
        var redirect = listener.CallbackUri.AbsoluteUri;
        var state = RandomNumberGenerator.GetHexString(32, lowercase: true);
        await io.Error.WriteLineAsync(
            $"The consumer's callback URL must be exactly {redirect}" + (settings.CallbackPort == 0 ? " (choose the port with --callback-port)" : string.Empty)).ConfigureAwait(false);

        var authorize = AppendQuery(settings.AuthorizeUrl, [
            new("client_id", settings.ClientId), new("response_type", "code"), new("state", state), new("redirect_uri", redirect)]);

        string code;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(settings.Timeout);
            try
            {
                await ShowAsync(authorize, settings.OpenBrowser, listener.CallbackUri).ConfigureAwait(false);
                code = (await listener.WaitAsync(state, wait.Token, CallbackFields.OAuth2).ConfigureAwait(false)).Verifier;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AuthException($"no authorization arrived within {settings.Timeout.TotalSeconds:0} s; run bb auth login again (or raise --timeout)");
            }
        }

        return await OAuth2TokenClient.RequestAsync(
            tokenHttp,
            settings.TokenUrl,
            [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirect)],
            time,
            "authorization code",
            cancellationToken).ConfigureAwait(false);
    }

    private async Task ShowAsync(Uri authorize, bool openBrowser, Uri callback)
    {
        if (!openBrowser)
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

        await io.Error.WriteLineAsync($"Waiting for the browser to return to {callback} …").ConfigureAwait(false);
    }

    private static Uri AppendQuery(Uri url, KeyValuePair<string, string>[] parameters)
    {
        var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
        return new Uri(url.AbsoluteUri + separator + OAuthEncoding.FormEncode(parameters));
    }
}
