using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;
using Bitbucket.LocalProvider.OAuth;

namespace Bitbucket.LocalProvider.OAuth2;

/// <summary>
/// Bitbucket Cloud's OAuth 2.0 endpoints (RFC 6749): <c>/site/oauth2/authorize</c> (an approve page
/// that redirects to the client's loopback callback with <c>code</c> and <c>state</c>) and
/// <c>/site/oauth2/access_token</c> (authorization_code and refresh_token grants; the client
/// authenticates with HTTP Basic or form fields). With test hooks, <c>POST /__test/oauth2/expire</c>
/// expires every access token and <c>GET /__test/oauth2</c> reports how many refreshes succeeded.
/// </summary>
internal static class OAuth2Endpoints
{
    public const string AuthorizePath = "/site/oauth2/authorize";
    public const string TokenPath = "/site/oauth2/access_token";

    public static void Map(IEndpointRouteBuilder app, BearerTokens tokens, LocalProviderOptions options)
    {
        app.MapGet(AuthorizePath, (HttpContext c) => AuthorizePage.Show(c, tokens, options));
        app.MapPost(AuthorizePath, (HttpContext c) => AuthorizePage.Decide(c, tokens));
        app.MapPost(TokenPath, (HttpContext c) => Token(c, tokens, options));

        if (options.TestHooks)
        {
            app.MapPost("/__test/oauth2/expire", () => new JsonNodeResult(new JsonObject { ["expired"] = tokens.ExpireAll() }));
            app.MapGet("/__test/oauth2", () => new JsonNodeResult(new JsonObject { ["refreshes"] = tokens.RefreshCount }));
        }
    }

    /// <summary>The token endpoint (RFC 6749 sections 4.1.3 and 6).</summary>
    private static IResult Token(HttpContext context, BearerTokens tokens, LocalProviderOptions options)
    {
        var form = Form(CapturedRequest.Of(context));
        if (Client(context, form, tokens) is not { } client)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "unknown client or wrong secret");
        }

        (BearerToken Access, RefreshToken Refresh)? pair;
        switch (form.GetValueOrDefault("grant_type"))
        {
            case "authorization_code":
                var code = tokens.TakeCode(form.GetValueOrDefault("code") ?? string.Empty);
                if (code is null || code.ClientId != client.Key)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_grant", "the code is unknown, used or expired");
                }

                if (code.RedirectUri.Length > 0 && form.GetValueOrDefault("redirect_uri") != code.RedirectUri)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_grant", "redirect_uri does not match the authorization request");
                }

                pair = tokens.IssuePair(client.Key, options.User);
                break;

            case "refresh_token":
                pair = tokens.Refresh(form.GetValueOrDefault("refresh_token") ?? string.Empty, client.Key);
                if (pair is null)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_grant", "the refresh token is unknown or was already used");
                }

                break;

            default:
                return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "use authorization_code or refresh_token");
        }

        var (access, refresh) = pair.Value;
        return new JsonNodeResult(new JsonObject
        {
            ["access_token"] = access.Token,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)options.OAuth2TokenLifetime.TotalSeconds,
            ["refresh_token"] = refresh.Token,
            ["scopes"] = "account repository pullrequest",
        });
    }

    /// <summary>The client from HTTP Basic (preferred) or the <c>client_id</c>/<c>client_secret</c> form fields; null when unknown or the secret is wrong.</summary>
    private static LocalConsumer? Client(HttpContext context, Dictionary<string, string> form, BearerTokens tokens)
    {
        string? id = null, secret = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            (id, secret) = BearerTokens.DecodeBasic(header[6..].Trim());
        }
        else
        {
            (id, secret) = (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
        }

        return id is not null && secret is not null && tokens.FindConsumer(id) is { } consumer && TokenStore.FixedTimeEquals(consumer.Secret, secret)
            ? consumer
            : null;
    }

    internal static Dictionary<string, string> Form(CapturedRequest captured)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!captured.IsForm)
        {
            return fields;
        }

        foreach (var (name, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(captured.Body))
        {
            fields.TryAdd(name, value.ToString());
        }

        return fields;
    }

    /// <summary>An RFC 6749 section 5.2 error response.</summary>
    private static IResult Error(int status, string error, string description) =>
        new JsonNodeResult(new JsonObject { ["error"] = error, ["error_description"] = description }, status);
}
