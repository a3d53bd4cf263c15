using System.Text;
using System.Text.Encodings.Web;
using Bitbucket.Cli.Core.OAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitbucket.LocalProvider.OAuth;

/// <summary>
/// RFC 5849 §2.2 resource owner authorization: a page naming the application and the user with
/// Approve / Deny buttons (plain form POSTs, no JavaScript needed: <c>curl -L -d action=approve URL</c>
/// approves). With auto-approve a script also presses Approve, so a headless browser completes the flow.
/// </summary>
internal static class ApprovePage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#172b4d;margin:0}
        main{max-width:32rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0003}
        h1{font-size:1.4rem}button{font-size:1rem;padding:.5rem 1.25rem;border-radius:4px;border:1px solid #0052cc;cursor:pointer}
        .approve{background:#0052cc;color:#fff}.deny{background:#fff;color:#0052cc}form{display:inline-block;margin-right:.5rem}
        code{font-size:1.6rem;letter-spacing:.2rem}
        """;

    public static IResult Show(HttpContext context, ProviderServices services)
    {
        var tokenValue = context.Request.Query["oauth_token"].ToString();
        var token = services.Tokens.FindRequestToken(tokenValue);
        if (token is null)
        {
            return Page(StatusCodes.Status404NotFound, "Unknown request token", "<p>This authorization link is unknown or has expired. Start the login again.</p>");
        }

        if (token.Verifier is not null || token.Denied)
        {
            return Page(StatusCodes.Status400BadRequest, "Already decided", "<p>This authorization request has already been answered. Start the login again.</p>");
        }

        var consumer = services.Verifier.FindConsumer(token.ConsumerKey);
        var app = Html(consumer?.Name ?? token.ConsumerKey);
        var user = Html(services.Data.User.Username);
        var action = Html(context.Request.PathBase + context.Request.Path);
        var hidden = $"""<input type="hidden" name="oauth_token" value="{Html(token.Token)}">""";
        var body = new StringBuilder()
            .Append($"<p><strong>{app}</strong> (consumer <code style=\"font-size:1em;letter-spacing:0\">{Html(token.ConsumerKey)}</code>) ")
            .Append($"wants to access your account <strong>{user}</strong>: read your profile, repositories and branches, and open pull requests.</p>\n");
        // Plain HTML forms: a browser without JavaScript, or curl (curl -L -d action=approve 'AUTHORIZE-URL'),
        // approves with one POST; auto-approve only adds a script that presses the button for a browser.
        body.Append($"""
            <form id="approve" method="post" action="{action}">{hidden}<input type="hidden" name="action" value="approve"><button class="approve" type="submit">Approve</button></form>

            """);
        if (services.Options.AutoApprove)
        {
            body.Append("""
                <p id="status">Approving automatically&hellip;</p>
                <script>document.getElementById("approve").submit();</script>
                """);
        }
        else
        {
            body.Append($"""
                <form id="deny" method="post" action="{action}">{hidden}<input type="hidden" name="action" value="deny"><button class="deny" type="submit">Deny</button></form>
                """);
        }

        return Page(StatusCodes.Status200OK, $"Authorize {app}", body.ToString());
    }

    public static IResult Decide(HttpContext context, ProviderServices services)
    {
        var form = QueryHelpers.ParseQuery(CapturedRequest.Of(context).Body);
        var tokenValue = form.TryGetValue("oauth_token", out var fromForm) ? fromForm.ToString() : context.Request.Query["oauth_token"].ToString();
        var token = services.Tokens.FindRequestToken(tokenValue);
        if (token is null)
        {
            return Page(StatusCodes.Status404NotFound, "Unknown request token", "<p>This authorization link is unknown or has expired. Start the login again.</p>");
        }

        var approve = form.TryGetValue("action", out var action) && action == "approve";
        if (!approve && action != "deny")
        {
            return Page(StatusCodes.Status400BadRequest, "Bad request", "<p>Expected action=approve or action=deny.</p>");
        }

        if (!services.Tokens.TryDecide(token, approve))
        {
            return Page(StatusCodes.Status400BadRequest, "Already decided", "<p>This authorization request has already been answered. Start the login again.</p>");
        }

        if (token.IsOutOfBand)
        {
            return approve
                ? Page(StatusCodes.Status200OK, "Access approved", $"<p>Enter this PIN in the application:</p><p><code id=\"verifier\">{Html(token.Verifier!)}</code></p>")
                : Page(StatusCodes.Status200OK, "Access denied", "<p>You denied access. You can close this page.</p>");
        }

        // RFC 5849 §2.2: back to the callback with the token and verifier added to its query.
        var extra = approve
            ? $"oauth_token={OAuthEncoding.PercentEncode(token.Token)}&oauth_verifier={OAuthEncoding.PercentEncode(token.Verifier!)}"
            : $"oauth_token={OAuthEncoding.PercentEncode(token.Token)}&denied={OAuthEncoding.PercentEncode(token.Token)}&oauth_problem=user_refused";
        return Results.Redirect(AppendQuery(token.Callback, extra));
    }

    internal static string AppendQuery(string url, string extra)
    {
        var hash = url.IndexOf('#');
        var (head, fragment) = hash < 0 ? (url, "") : (url[..hash], url[hash..]);
        var separator = head.Contains('?') ? (head.EndsWith('?') || head.EndsWith('&') ? "" : "&") : "?";
        return head + separator + extra + fragment;
    }

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);

    private static IResult Page(int statusCode, string title, string body)
    {
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Bitbucket (local)</title><style>{Style}</style></head>
            <body><main>
            <h1>{title}</h1>
            {body}
            </main></body>
            </html>
            """;
        return new HtmlResult(statusCode, html);
    }

    private sealed class HtmlResult(int statusCode, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.XFrameOptions = "DENY";
            response.Headers["Referrer-Policy"] = "no-referrer";
            return response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
        }
    }
}
