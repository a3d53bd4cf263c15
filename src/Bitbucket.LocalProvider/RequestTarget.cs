using Microsoft.AspNetCore.Http.Features;

namespace Bitbucket.LocalProvider;

/// <summary>
/// The request line's target exactly as the client sent it. ASP.NET Core's <c>Request.Path</c> is
/// decoded; OAuth's base string (RFC 5849 §3.4.1.2) and the recorded requests need the original escaping.
/// </summary>
internal readonly record struct RequestTarget(string Path, string Query)
{
    public static RequestTarget Of(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw == "*")
        {
            return new RequestTarget(context.Request.PathBase + context.Request.Path, context.Request.QueryString.Value ?? "");
        }

        // Absolute-form (RFC 9112 §3.2.2): keep only path and query.
        if (!raw.StartsWith('/') && Uri.TryCreate(raw, UriKind.Absolute, out var absolute))
        {
            var afterAuthority = raw.IndexOf('/', absolute.Scheme.Length + 3);
            raw = afterAuthority < 0 ? "/" : raw[afterAuthority..];
        }

        var q = raw.IndexOf('?');
        return q < 0 ? new RequestTarget(raw, "") : new RequestTarget(raw[..q], raw[q..]);
    }

    /// <summary>Scheme and authority the client addressed, from the Host header (e.g. <c>http://127.0.0.1:5123</c>).</summary>
    public static string Origin(HttpContext context)
    {
        var host = context.Request.Host.HasValue
            ? context.Request.Host.ToUriComponent()
            : $"{LocalProviderOptions.LoopbackAddress}:{context.Connection.LocalPort}";
        return $"{context.Request.Scheme}://{host}";
    }

    public override string ToString() => Path + Query;
}
