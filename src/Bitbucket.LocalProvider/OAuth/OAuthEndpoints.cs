using System.Text;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.OAuth;

/// <summary>Bitbucket's three OAuth 1.0a endpoints (RFC 5849 §2) and the approve page.</summary>
internal static class OAuthEndpoints
{
    /// <summary>Bitbucket's paths; Bitbucket's original 1.0 consumer example used them without the <c>/api</c> prefix, so both work.</summary>
    public static readonly string[] Prefixes = ["/api/1.0/oauth", "/1.0/oauth"];

    /// <summary>Data Center's OAuth servlet (application links), relative to the context path.</summary>
    public const string ServletPrefix = "/plugins/servlet/oauth";

    public static void Map(IEndpointRouteBuilder app, ProviderServices services)
    {
        foreach (var prefix in Prefixes)
        {
            app.MapMethods(prefix + "/request_token", ["POST", "GET"], (HttpContext c) => RequestToken(c, services, Refuse));
            app.MapGet(prefix + "/authenticate", (HttpContext c) => ApprovePage.Show(c, services));
            app.MapPost(prefix + "/authenticate", (HttpContext c) => ApprovePage.Decide(c, services));
            app.MapMethods(prefix + "/access_token", ["POST", "GET"], (HttpContext c) => AccessToken(c, services, Refuse));
        }
    }

    /// <summary>
    /// Data Center's servlet paths: the authorize page is a GET with <c>oauth_token</c> and its form posts back
    /// to the same path (no JavaScript needed); refusals report <c>oauth_problem</c>.
    /// </summary>
    public static void MapServlet(IEndpointRouteBuilder app, ProviderServices services)
    {
        IResult RefuseServlet(HttpContext c, OAuthFailure f) => RefuseWithProblem(c, services, f);

        app.MapPost(ServletPrefix + "/request-token", (HttpContext c) => RequestToken(c, services, RefuseServlet));
        app.MapGet(ServletPrefix + "/authorize", (HttpContext c) => ApprovePage.Show(c, services));
        app.MapPost(ServletPrefix + "/authorize", (HttpContext c) => ApprovePage.Decide(c, services));
        app.MapPost(ServletPrefix + "/access-token", (HttpContext c) => AccessToken(c, services, RefuseServlet));
    }

    /// <summary>
    /// A refusal as Atlassian's OAuth servlet reports it (the OAuth Problem Reporting extension): the problem in
    /// the <c>WWW-Authenticate</c> challenge and as a form-encoded body with the reason as advice.
    /// </summary>
    public static IResult RefuseWithProblem(HttpContext context, ProviderServices services, OAuthFailure failure)
    {
        var body = OAuthEncoding.FormEncode([new("oauth_problem", failure.Problem), new("oauth_problem_advice", failure.Reason)]);
        return new TextResult(failure.StatusCode, body, "application/x-www-form-urlencoded", Challenge(context, services, failure));
    }

    /// <summary><c>OAuth realm="…", oauth_problem="…"</c> for a Data Center 401.</summary>
    public static string Challenge(HttpContext context, ProviderServices services, OAuthFailure failure) =>
        $"OAuth realm=\"{RequestTarget.Origin(context)}{services.Options.ContextPath}\", oauth_problem=\"{failure.Problem}\"";

    /// <summary>401/400 with Bitbucket's error JSON and, for 401, a <c>WWW-Authenticate: OAuth</c> challenge.</summary>
    public static IResult Refuse(HttpContext context, OAuthFailure failure)
    {
        var result = BitbucketError.Result(failure.StatusCode, "OAuth: " + failure.Reason, failure.Detail);
        if (failure.StatusCode == StatusCodes.Status401Unauthorized)
        {
            result.Headers.Add(new("WWW-Authenticate", $"OAuth realm=\"{RequestTarget.Origin(context)}\""));
        }

        return result;
    }

    /// <summary>RFC 5849 §2.1: temporary credentials; <c>oauth_callback</c> is required.</summary>
    private static IResult RequestToken(HttpContext context, ProviderServices services, Func<HttpContext, OAuthFailure, IResult> refuse)
    {
        if (!services.Verifier.TryVerify(context, TokenRequirement.None, out var request, out var failure))
        {
            return refuse(context, failure);
        }

        if (!request.Protocol.TryGetValue("oauth_callback", out var callback) || callback.Length == 0)
        {
            return refuse(context, OAuthFailure.BadRequest("oauth_callback is required (an absolute http(s) URL or oob)", "parameter_absent"));
        }

        if (callback != "oob"
            && !(Uri.TryCreate(callback, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            return refuse(context, OAuthFailure.BadRequest("oauth_callback must be an absolute http(s) URL or oob"));
        }

        var token = services.Tokens.IssueRequestToken(request.Consumer.Key, callback);
        return Form(
            new("oauth_token", token.Token), new("oauth_token_secret", token.Secret), new("oauth_callback_confirmed", "true"));
    }

    /// <summary>RFC 5849 §2.3: token credentials for an approved request token and its verifier.</summary>
    private static IResult AccessToken(HttpContext context, ProviderServices services, Func<HttpContext, OAuthFailure, IResult> refuse)
    {
        if (!services.Verifier.TryVerify(context, TokenRequirement.RequestToken, out var request, out var failure))
        {
            return refuse(context, failure);
        }

        var token = request.RequestToken!;
        if (!request.Protocol.TryGetValue("oauth_verifier", out var verifier) || verifier.Length == 0)
        {
            return refuse(context, OAuthFailure.BadRequest("missing parameter oauth_verifier", "parameter_absent"));
        }

        if (token.Denied)
        {
            return refuse(context, OAuthFailure.Unauthorized("the user denied access", problem: "permission_denied"));
        }

        if (token.Verifier is null)
        {
            return refuse(context, OAuthFailure.Unauthorized("the request token has not been approved", problem: "permission_unknown"));
        }

        if (!TokenStore.FixedTimeEquals(token.Verifier, verifier))
        {
            return refuse(context, OAuthFailure.Unauthorized("invalid verifier"));
        }

        var access = services.Tokens.Exchange(token, services.Data.User.Username);
        if (access is null)
        {
            return refuse(context, OAuthFailure.Unauthorized("invalid or expired request token", problem: "token_used"));
        }

        return Form(new("oauth_token", access.Token), new("oauth_token_secret", access.Secret));
    }

    private static IResult Form(params KeyValuePair<string, string>[] fields) =>
        Results.Text(OAuthEncoding.FormEncode(fields), "application/x-www-form-urlencoded", Encoding.UTF8);
}
