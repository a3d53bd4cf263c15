using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Http;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// Turns a failed HTTP response into the single stderr line <c>bb: …</c>. Pure and total: whatever the body
/// holds (Bitbucket error JSON, other JSON, HTML, text, binary, nothing), it returns one line and never throws.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Bitbucket error JSON <c>{"type":"error","error":{"message":…,"detail":…,"fields":…}}</c> →
/// <c>bb: message: detail (HTTP 404)</c>.</item>
/// <item>Other JSON with a <c>message</c>, <c>error</c> (+ <c>error_description</c>), <c>errors[0]</c> or
/// <c>title</c> (+ <c>detail</c>) string → <c>bb: that text (HTTP 400)</c>.</item>
/// <item>HTML or text (or JSON without a message, or invalid/truncated JSON) → <c>bb: HTTP 502 Bad Gateway</c>,
/// followed by <c>: snippet</c> when the body has printable text (tags stripped, whitespace collapsed,
/// at most <see cref="SnippetLength"/> characters).</item>
/// <item>Empty body → <c>bb: HTTP 500 Internal Server Error</c>.</item>
/// </list>
/// </remarks>
internal static class ApiErrorLine
{
    /// <summary>The longest text snippet taken from a non-JSON body.</summary>
    public const int SnippetLength = 120;

    /// <summary>The longest message taken from a JSON body.</summary>
    public const int MessageLength = 400;

    /// <summary>Bodies larger than this are only inspected up to this size.</summary>
    public const int MaxInspectedBytes = 256 * 1024;

    private static readonly HashSet<string> SkippedHtmlElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "script", "style", "noscript", "template",
    };

    /// <summary>
    /// Formats the error line for a body given as bytes. A server that echoes the request's
    /// <c>oauth_token</c>, token secret, signature or verifier gets them masked (<see cref="Redaction.EchoedOAuthValues"/>).
    /// </summary>
    public static string Format(int statusCode, string? reasonPhrase, string? contentType, ReadOnlySpan<byte> body) =>
        Redaction.EchoedOAuthValues(FormatUnredacted(statusCode, reasonPhrase, contentType, body));

    private static string FormatUnredacted(int statusCode, string? reasonPhrase, string? contentType, ReadOnlySpan<byte> body)
    {
        var status = StatusLabel(statusCode, reasonPhrase);
        if (body.Length > MaxInspectedBytes)
        {
            body = body[..MaxInspectedBytes];
        }

        var text = new UTF8Encoding(false, false).GetString(body).Trim().TrimStart('\uFEFF').Trim();
        if (text.Length == 0)
        {
            return "bb: " + status;
        }

        var message = LooksLikeJson(text, contentType) ? TryJsonMessage(text) : null;
        if (!string.IsNullOrEmpty(message))
        {
            return string.Create(CultureInfo.InvariantCulture, $"bb: {message} (HTTP {statusCode})");
        }

        var snippet = Snippet(text, contentType, statusCode, reasonPhrase);
        return snippet.Length == 0 ? "bb: " + status : $"bb: {status}: {snippet}";
    }

    /// <summary>Formats the error line for a body already decoded to text.</summary>
    public static string Format(int statusCode, string? reasonPhrase, string? contentType, string? body) =>
        Format(statusCode, reasonPhrase, contentType, Encoding.UTF8.GetBytes(body ?? string.Empty));

    /// <summary><c>HTTP 404 Not Found</c>: the given reason phrase, else a well-known one, else just the code.</summary>
    public static string StatusLabel(int statusCode, string? reasonPhrase)
    {
        var reason = OneLine.Collapse(reasonPhrase ?? string.Empty, 60);
        if (reason.Length == 0)
        {
            reason = KnownReason(statusCode);
        }

        var code = statusCode.ToString(CultureInfo.InvariantCulture);
        return reason.Length == 0 ? "HTTP " + code : $"HTTP {code} {reason}";
    }

    private static bool LooksLikeJson(string text, string? contentType) =>
        text[0] is '{' or '[' || (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false);

    private static string? TryJsonMessage(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            var message = JsonMessage(document.RootElement);
            return message is null ? null : OneLine.Collapse(message, MessageLength);
        }
        catch (JsonException)
        {
            return null; // truncated or not JSON after all: shown as text
        }
        catch (InvalidOperationException)
        {
            return null; // e.g. a string with an invalid escape sequence
        }
    }

    private static string? JsonMessage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // Bitbucket: {"type":"error","error":{"message":"…","detail":"…","fields":{"name":["…"]}}}
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && BitbucketMessage(error) is { } bitbucket)
        {
            return bitbucket;
        }

        // OAuth: {"error":"invalid_grant","error_description":"…"}
        if (String(root, "error") is { } code)
        {
            return String(root, "error_description") is { } description ? $"{code}: {description}" : code;
        }

        if (String(root, "message") is { } message)
        {
            return message;
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && FirstError(errors) is { } first)
        {
            return first;
        }

        // RFC 9457 problem details.
        if (String(root, "title") is { } title)
        {
            return String(root, "detail") is { } detail ? $"{title}: {detail}" : title;
        }

        return null;
    }

    /// <summary>Bitbucket's error object: message, detail and each field's problems, joined; null when it has none.</summary>
    private static string? BitbucketMessage(JsonElement error)
    {
        var parts = new List<string>();
        AddString(parts, error, "message");
        AddString(parts, error, "detail");
        if (error.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                var problems = field.Value.ValueKind switch
                {
                    JsonValueKind.String => field.Value.GetString(),
                    JsonValueKind.Array => string.Join(
                        "; ",
                        field.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())),
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(problems))
                {
                    parts.Add($"{field.Name}: {problems}");
                }
            }
        }

        return parts.Count > 0 ? string.Join(": ", parts) : null;
    }

    /// <summary>The first item of an <c>errors</c> array that is a string or has a <c>message</c>.</summary>
    private static string? FirstError(JsonElement errors)
    {
        foreach (var item in errors.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : String(item, "message");
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return null;
    }

    private static void AddString(List<string> parts, JsonElement element, string name)
    {
        if (String(element, name) is { } value)
        {
            parts.Add(value);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { } text
        && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    /// <summary>Printable, one-line, capped text of a non-JSON body; empty when there is none worth showing.</summary>
    private static string Snippet(string text, string? contentType, int statusCode, string? reasonPhrase)
    {
        var isHtml = (contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false) || text[0] == '<';
        if (isHtml)
        {
            text = WebUtility.HtmlDecode(StripTags(text, SnippetLength * 4));
        }

        if (!IsPrintable(text))
        {
            return string.Empty; // binary: not worth showing
        }

        var snippet = OneLine.Collapse(text, SnippetLength * 4);

        // HTML error pages usually repeat the status line ("502 Bad Gateway … nginx"): keep only what is new.
        foreach (var repeat in new[] { StatusLabel(statusCode, reasonPhrase)[5..], KnownReason(statusCode) })
        {
            if (repeat.Length > 0 && snippet.StartsWith(repeat, StringComparison.OrdinalIgnoreCase))
            {
                snippet = snippet[repeat.Length..].TrimStart(' ', ':', '-', '.', ',');
            }
        }

        return OneLine.Truncate(snippet, SnippetLength);
    }

    private static bool IsPrintable(string text)
    {
        foreach (var c in text)
        {
            if (c == '\uFFFD' || (char.IsControl(c) && !char.IsWhiteSpace(c)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The text of an HTML document without its tags, comments and the content of head/script/style; stops once
    /// <paramref name="limit"/> characters are collected. Linear in the input, whatever the markup.
    /// </summary>
    private static string StripTags(string html, int limit)
    {
        var text = new StringBuilder();
        string? skipUntil = null; // closing tag name whose content is being skipped
        var i = 0;
        while (i < html.Length && text.Length < limit)
        {
            var c = html[i];
            if (c != '<')
            {
                if (skipUntil is null)
                {
                    text.Append(c);
                }

                i++;
                continue;
            }

            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            var end = html.IndexOf('>', i + 1);
            if (end < 0)
            {
                break;
            }

            var (name, closing, selfClosing) = ReadTag(html.AsSpan(i + 1, end - i - 1));
            if (skipUntil is null && !closing && SkippedHtmlElements.Contains(name) && !selfClosing)
            {
                skipUntil = name;
            }
            else if (closing && skipUntil is not null && name.Equals(skipUntil, StringComparison.OrdinalIgnoreCase))
            {
                skipUntil = null;
            }

            text.Append(' ');
            i = end + 1;
        }

        return text.ToString();
    }

    /// <summary>The element name of a tag's inside (between '&lt;' and '&gt;'), whether it closes (<c>/name</c>) and whether it closes itself (<c>name/</c>).</summary>
    private static (string Name, bool Closing, bool SelfClosing) ReadTag(ReadOnlySpan<char> tag)
    {
        tag = tag.TrimStart();
        var closing = tag.StartsWith('/');
        if (closing)
        {
            tag = tag[1..];
        }

        var nameLength = 0;
        while (nameLength < tag.Length && char.IsAsciiLetterOrDigit(tag[nameLength]))
        {
            nameLength++;
        }

        return (tag[..nameLength].ToString(), closing, tag.EndsWith('/'));
    }

    private static string KnownReason(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => string.Empty,
    };
}
