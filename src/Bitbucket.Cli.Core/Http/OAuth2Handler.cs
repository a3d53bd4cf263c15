using System.Net;
using System.Net.Http.Headers;
using Bitbucket.Cli.Core.Config;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// One OAuth 2.0 login while a command runs: the access token in use, and the one way it is renewed.
/// A refresh happens when the token has expired (by its stored expiry) or when the API says so, and
/// runs under <c>hosts.json</c>'s lock: the stored pair is re-read first, so when another bb refreshed
/// meanwhile its new token is taken as it is (a refresh token may be single-use), and the new pair is
/// written atomically (<see cref="ConfigStore.Update"/>).
/// </summary>
internal sealed class OAuth2Session(
    ConfigStore store,
    ResolvedHost host,
    Func<TokenEndpointClient> tokenClient,
    TimeProvider time,
    bool dryRun)
{
    /// <summary>A token this close to its expiry is refreshed before it is used.</summary>
    internal static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private string current = host.Token ?? throw new ArgumentException("no access token", nameof(host));
    private DateTimeOffset? expiresAt = host.ExpiresAt;

    /// <summary>The access token in use now, as it is.</summary>
    public string Token => Volatile.Read(ref current);

    /// <summary>The token to send, refreshed first when it has expired; and whether it was refreshed just now.</summary>
    public async Task<(string Token, bool Refreshed)> CurrentAsync(CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref current);
        if (dryRun || !IsExpired(expiresAt))
        {
            return (token, false);
        }

        return (await RefreshAsync(token, cancellationToken).ConfigureAwait(false), true);
    }

    /// <summary>A token newer than <paramref name="stale"/>: the one another request or another bb got, or a fresh one.</summary>
    /// <exception cref="AuthException">The login is gone, has no refresh token or the refresh was refused.</exception>
    public async Task<string> RefreshAsync(string stale, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!string.Equals(current, stale, StringComparison.Ordinal))
            {
                return current;
            }

            AccountCredentials? fresh = null;
            store.Update(config =>
            {
                var account = config.TryGetHost(host.HostName, out var stored) ? stored.GetAccount(host.Username) : null;
                if (stored is null || account is null || account.Scheme != AuthScheme.OAuth2)
                {
                    throw new AuthException($"not logged in to {host.HostName}; run bb auth login");
                }

                if (!string.Equals(account.Token, stale, StringComparison.Ordinal) && !IsExpired(account.ExpiresAt))
                {
                    // Another bb refreshed while this one waited for the lock.
                    fresh = account;
                    return config;
                }

                fresh = Refresh(account, cancellationToken);
                return config.WithHost(stored.WithAccount(fresh, makeDefault: false));
            });

            (current, expiresAt) = (fresh!.Token, fresh.ExpiresAt);
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsExpired(DateTimeOffset? at) => at is { } expiry && time.GetUtcNow() >= expiry - ExpirySkew;

    /// <summary>The refresh-token grant (RFC 6749 section 6), inside the store's lock.</summary>
    private AccountCredentials Refresh(AccountCredentials account, CancellationToken cancellationToken)
    {
        if (account.RefreshToken is null || host.OAuth2TokenUrl is null || host.ConsumerKey is null || host.ConsumerSecret is null)
        {
            throw new AuthException($"the OAuth 2.0 login to {host.HostName} has expired and cannot be refreshed here; run bb auth login --host {host.HostName}");
        }

        var http = tokenClient();
        try
        {
            // ConfigStore.Update takes a synchronous change; bb has no synchronization context to deadlock on.
            var tokens = OAuth2TokenClient.RequestAsync(
                http,
                new Uri(host.OAuth2TokenUrl),
                [new("grant_type", "refresh_token"), new("refresh_token", account.RefreshToken)],
                time,
                "token refresh",
                cancellationToken).GetAwaiter().GetResult();
            return account with
            {
                Token = tokens.AccessToken,
                RefreshToken = tokens.RefreshToken ?? account.RefreshToken,
                ExpiresAt = tokens.ExpiresAt,
            };
        }
        finally
        {
            http.Dispose();
        }
    }
}

/// <summary>
/// <c>Authorization: Bearer</c> with an OAuth 2.0 access token that renews itself: refreshed before
/// sending when it has expired, and when the API answers 401 saying it expired, once per request
/// (the request is then sent again once; a second refusal is the answer). A refused refresh is not an
/// error of its own here: the API's 401 is the answer, and it says to log in again (exit 4).
/// </summary>
internal sealed class OAuth2Handler(OAuth2Session session) : DelegatingHandler
{
    private const int MaxChallengeBody = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string token;
        bool refreshed;
        try
        {
            (token, refreshed) = await session.CurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AuthException)
        {
            // The refresh was refused: send the old token once and let the API's answer speak.
            (token, refreshed) = (session.Token, true);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (refreshed || response.StatusCode != HttpStatusCode.Unauthorized || !await SaysExpiredAsync(response, cancellationToken).ConfigureAwait(false))
        {
            return response;
        }

        string fresh;
        try
        {
            fresh = await session.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthException)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The 401 is about an expired token: a Bearer challenge (RFC 6750 section 3) or the error body
    /// says "expired". The body is buffered (bounded) so the caller can still read it.
    /// </summary>
    internal static async Task<bool> SaysExpiredAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (challenge.Parameter?.Contains("expired", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxChallengeBody, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return body.Contains("expired", StringComparison.OrdinalIgnoreCase);
        }
        catch (HttpRequestException)
        {
            return false; // larger than any error body, or broken off: not a token-expiry answer
        }
    }
}
