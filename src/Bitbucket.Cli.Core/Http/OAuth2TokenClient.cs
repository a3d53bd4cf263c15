using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bitbucket.Cli.Core.Http;

/// <summary>What an OAuth 2.0 token endpoint issued (RFC 6749 section 5.1). <c>ToString</c> redacts the tokens.</summary>
internal sealed record OAuth2Tokens(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt)
{
    public override string ToString() => $"OAuth2Tokens {{ AccessToken = ***, RefreshToken = {(RefreshToken is null ? "null" : "***")}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>
/// A client for an OAuth 2.0 token endpoint (<see cref="ApiSessions.CreateTokenClient"/>) and where its
/// one redacted line per request goes under <c>--verbose</c> (null: nowhere). Its own pipeline never
/// traces: the form bodies carry the code or the refresh token.
/// </summary>
internal sealed class TokenEndpointClient(HttpClient http, TextWriter? trace) : IDisposable
{
    public HttpClient Http { get; } = http;

    public TextWriter? Trace { get; } = trace;

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// Requests to an OAuth 2.0 token endpoint: the authorization-code grant at login and the refresh
/// grant later. The client authenticates with HTTP Basic (its key and secret) through the
/// <see cref="TokenEndpointClient"/>'s <see cref="BasicAuthHandler"/>; only the token endpoint's origin may see it.
/// </summary>
internal static partial class OAuth2TokenClient
{
    private const int MaxTokenBody = 64 * 1024;

    /// <summary>Form fields safe to show under <c>--verbose</c>.</summary>
    private static readonly HashSet<string> VisibleFields = new(StringComparer.Ordinal) { "grant_type", "redirect_uri" };

    /// <summary>POSTs <paramref name="form"/> to <paramref name="tokenUrl"/> and reads the tokens.</summary>
    /// <exception cref="AuthException">The endpoint refused the grant or the client (400/401).</exception>
    /// <exception cref="CliException">Another failure, or an answer that is not a token response.</exception>
    public static async Task<OAuth2Tokens> RequestAsync(
        TokenEndpointClient client, Uri tokenUrl, IEnumerable<KeyValuePair<string, string>> form, TimeProvider time, string what, CancellationToken cancellationToken)
    {
        var fields = form.ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Accept.ParseAdd("application/json");
        var (http, trace) = (client.Http, client.Trace);
        trace?.WriteLine($"> POST {tokenUrl.AbsoluteUri} ({string.Join("&", fields.Select(f => f.Key + "=" + (VisibleFields.Contains(f.Key) ? f.Value : Redaction.Mask)))}; Authorization: Basic {Redaction.Mask})");
        using var response = await HttpBodies.LabelFailuresAsync(tokenUrl, () => http.SendAsync(request, cancellationToken)).ConfigureAwait(false);
        trace?.WriteLine($"< HTTP {(int)response.StatusCode} (token response not shown)");
        var body = await HttpBodies.ReadBoundedAsync(response.Content, MaxTokenBody, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var error = ErrorCode(body);
            var hint = error == "invalid_client" ? "check the consumer key and secret" : "run bb auth login again";
            throw new AuthException($"{tokenUrl.Host} refused the {what} (HTTP {(int)response.StatusCode}{(error is null ? string.Empty : ", " + error)}); {hint}");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"{tokenUrl.Host} failed the {what} (HTTP {(int)response.StatusCode})");
        }

        return Parse(body, time.GetUtcNow()) ?? throw new CliException($"{tokenUrl.Host} answered the {what} with something that is not an OAuth 2.0 token response");
    }

    /// <summary>The tokens in a JSON token response, or null when it is not one.</summary>
    internal static OAuth2Tokens? Parse(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out var access) || access.ValueKind != JsonValueKind.String || access.GetString() is not { Length: > 0 } accessToken)
            {
                return null;
            }

            var refresh = root.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            DateTimeOffset? expires = null;
            if (root.TryGetProperty("expires_in", out var e))
            {
                var seconds = e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? n
                    : e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m
                    : -1;
                if (seconds >= 0)
                {
                    expires = now.AddSeconds(Math.Min(seconds, 10L * 365 * 24 * 3600));
                }
            }

            return new OAuth2Tokens(accessToken, string.IsNullOrEmpty(refresh) ? null : refresh, expires);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The RFC 6749 section 5.2 <c>error</c> code, only when it is a plain code (server text is not echoed).</summary>
    private static string? ErrorCode(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && error.GetString() is { } code && PlainCode().IsMatch(code)
                ? code
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[a-z_]{1,40}$")]
    private static partial Regex PlainCode();
}
