using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>What the provider sent back to the callback URL.</summary>
internal sealed record CallbackResult(string Verifier);

/// <summary>
/// A one-shot HTTP listener on 127.0.0.1 that receives the provider's redirect after the user
/// approves access (RFC 5849 §2.2). It accepts exactly one callback whose <c>oauth_token</c> matches
/// the request token; anything else gets 400 and the wait goes on. It never echoes request input.
/// </summary>
internal sealed class CallbackListener : IDisposable
{
    private const string CallbackPath = "/callback";
    private readonly HttpListener listener;

    private CallbackListener(HttpListener listener, int port)
    {
        this.listener = listener;
        CallbackUri = new Uri($"http://127.0.0.1:{port}{CallbackPath}");
    }

    public Uri CallbackUri { get; }

    /// <summary>Starts listening on 127.0.0.1 at <paramref name="port"/>, or a free port when 0.</summary>
    public static CallbackListener Start(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port != 0 ? port : FreeLoopbackPort();
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
            try
            {
                listener.Start();
                return new CallbackListener(listener, chosen);
            }
            catch (HttpListenerException e) when (port == 0 && attempt < 5)
            {
                // Another process took the free port between probing and binding: try another.
                _ = e;
                listener.Close();
            }
            catch (HttpListenerException e)
            {
                listener.Close();
                throw new CliException($"cannot listen on 127.0.0.1:{chosen} for the OAuth callback: {e.Message} (choose another --callback-port)");
            }
        }
    }

    /// <summary>Waits for the callback carrying <paramref name="requestToken"/> and its verifier.</summary>
    /// <param name="fields">Which query fields to read (default: OAuth 1.0a's).</param>
    public async Task<CallbackResult> WaitAsync(string requestToken, CancellationToken cancellationToken, CallbackFields? fields = null)
    {
        fields ??= CallbackFields.OAuth1;
        using var registration = cancellationToken.Register(() => this.listener.Stop());
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await this.listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException && this.listener.IsListening)
            {
                // A malformed request from some local process broke off inside the listener: not the
                // login's business. Pause a moment so a listener that keeps failing cannot spin.
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                continue;
            }

            (int Status, string Page, string? Verifier, bool Denied) outcome;
            try
            {
                outcome = Inspect(context.Request, requestToken, fields);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                // The listener already answered this one itself (411 for a body without a length, 400
                // for a bad request) or the client went away: the wait goes on.
                TryAbort(context.Response);
                continue;
            }

            try
            {
                await RespondAsync(context.Response, outcome.Status, outcome.Page).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                TryAbort(context.Response); // answered already, or the client went away: the outcome stands
            }

            if (outcome.Denied || outcome.Verifier is not null)
            {
                // Decided: stop listening now, not when the login finishes, so nothing else can call back.
                this.listener.Stop();
            }

            if (outcome.Denied)
            {
                throw new AuthException("access was denied in the browser; run bb auth login again to retry");
            }

            if (outcome.Verifier is not null)
            {
                return new CallbackResult(outcome.Verifier);
            }
        }
    }

    public void Dispose() => this.listener.Close();

    private static void TryAbort(HttpListenerResponse response)
    {
        try
        {
            response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
        }
    }

    private static (int Status, string Page, string? Verifier, bool Denied) Inspect(HttpListenerRequest request, string requestToken, CallbackFields fields)
    {
        if (request.HttpMethod != "GET" || request.Url?.AbsolutePath != CallbackPath)
        {
            return (404, Page("Not found", "This address only receives bb's login callback."), null, false);
        }

        var query = request.QueryString;
        if (query[fields.Denied] is { } denied)
        {
            return (fields.DeniedNamesToken ? denied : query[fields.Token]) == requestToken
                ? (200, Page("Access denied", "bb was not given access. You may close this tab."), null, true)
                : (400, Page("Unexpected callback", "This callback does not belong to the login in progress."), null, false);
        }

        if (!string.Equals(query[fields.Token], requestToken, StringComparison.Ordinal))
        {
            return (400, Page("Unexpected callback", "This callback does not belong to the login in progress."), null, false);
        }

        if (query[fields.Verifier] is not { Length: > 0 } verifier)
        {
            return (400, Page("Missing verifier", "The provider did not send an oauth_verifier."), null, false);
        }

        return (200, Page("bb is signed in", "Authorization complete. You may close this tab and return to the terminal."), verifier, false);
    }

    private static async Task RespondAsync(HttpListenerResponse response, int status, string page)
    {
        var bytes = Encoding.UTF8.GetBytes(page);
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
        response.ContentLength64 = bytes.Length;
        try
        {
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            response.Close();
        }
    }

    // Fixed texts only: nothing from the request is ever written into the page.
    private static string Page(string title, string message) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
        + "<body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\">"
        + $"<h1>{title}</h1><p>{message}</p></body></html>";

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
