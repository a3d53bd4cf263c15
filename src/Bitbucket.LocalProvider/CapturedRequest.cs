using Microsoft.Net.Http.Headers;

namespace Bitbucket.LocalProvider;

/// <summary>The request body read once up front (OAuth signs form bodies; handlers and the recorder read it too).</summary>
internal sealed class CapturedRequest(string body, bool isForm)
{
    public const int MaxBodyBytes = 1 << 20;

    public string Body { get; } = body;

    /// <summary>RFC 5849 §3.4.1.3.1: only a single-part application/x-www-form-urlencoded body is signed.</summary>
    public bool IsForm { get; } = isForm;

    /// <summary>The base string the provider computed, kept for the test hooks' request log.</summary>
    public string? BaseString { get; set; }

    /// <summary>Why OAuth verification failed, for the test hooks' request log.</summary>
    public string? OAuthError { get; set; }

    public static CapturedRequest Of(HttpContext context) =>
        context.Features.Get<CapturedRequest>() ?? throw new InvalidOperationException("request body was not captured");

    public static bool IsFormContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}
