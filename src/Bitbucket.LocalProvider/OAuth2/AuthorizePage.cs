using System.Text.Encodings.Web;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitbucket.LocalProvider.OAuth2;

/// <summary>
/// The OAuth 2.0 authorization page (RFC 6749 section 4.1.1): names the client and the user, with
/// Approve and Deny buttons in a plain form (no JavaScript) that posts back to the same URL. The
/// decision redirects to the client's <c>redirect_uri</c> with <c>code</c> (or <c>error=access_denied</c>)
/// and the client's <c>state</c>, as Bitbucket Cloud does.
/// </summary>
internal static class AuthorizePage
{
    public static IResult Show(HttpContext context, BearerTokens tokens, LocalProviderOptions options)
    {
        if (Check(context, tokens) is { } refusal)
        {
            return refusal;
        }

        var query = context.Request.Query;
        var consumer = tokens.FindConsumer(query["client_id"].ToString())!;
        var action = Html(context.Request.PathBase + context.Request.Path + context.Request.QueryString);
        var body = $"""
            <!doctype html><html><head><meta charset="utf-8"><title>Authorize {Html(consumer.Name)}</title></head>
            <body style="font-family:sans-serif;max-width:36em;margin:4em auto">
            <h1>Authorize {Html(consumer.Name)}</h1>
            <p><strong>{Html(consumer.Name)}</strong> (client <code>{Html(consumer.Key)}</code>) wants to access the account
            <strong>{Html(options.User)}</strong> with OAuth 2.0.</p>
            <form method="post" action="{action}">
            <button type="submit" name="action" value="approve">Approve</button>
            <button type="submit" name="action" value="deny">Deny</button>
            </form></body></html>
            """;
        return Results.Content(body, "text/html; charset=utf-8");
    }

    public static IResult Decide(HttpContext context, BearerTokens tokens)
    {
        if (Check(context, tokens) is { } refusal)
        {
            return refusal;
        }

        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirect = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        var decision = OAuth2Endpoints.Form(CapturedRequest.Of(context)).GetValueOrDefault("action");
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (decision == "approve")
        {
            parameters["code"] = tokens.IssueCode(clientId, redirect).Code;
        }
        else if (decision == "deny")
        {
            parameters["error"] = "access_denied";
        }
        else
        {
            return Results.Content("<!doctype html><p>Choose Approve or Deny.</p>", "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        if (state.Length > 0)
        {
            parameters["state"] = state;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirect, parameters));
    }

    /// <summary>A known client, <c>response_type=code</c> and an absolute http(s) <c>redirect_uri</c>; else the error page.</summary>
    private static IResult? Check(HttpContext context, BearerTokens tokens)
    {
        var query = context.Request.Query;
        if (tokens.FindConsumer(query["client_id"].ToString()) is null)
        {
            return Refuse("Unknown client: client_id does not name a consumer of this provider.");
        }

        if (query["response_type"] != "code")
        {
            return Refuse("Only response_type=code is supported.");
        }

        var redirect = query["redirect_uri"].ToString();
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Refuse("redirect_uri must be an absolute http(s) URL (the consumer's registered callback).");
        }

        return null;
    }

    private static IResult Refuse(string message) =>
        Results.Content($"<!doctype html><html><body><h1>Cannot authorize</h1><p>{Html(message)}</p></body></html>", "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
