using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitbucket.LocalProvider.Api;

/// <summary>
/// Bitbucket 2.0 pagination: <c>page</c> (from 1) and <c>pagelen</c> (1–100, default 10) in the query;
/// the answer has <c>size</c>, <c>page</c>, <c>pagelen</c>, <c>values</c> and absolute <c>next</c>/<c>previous</c>
/// links on the request's own origin, form-encoded like Bitbucket's (a space is <c>+</c>).
/// </summary>
internal static class Paging
{
    public const int DefaultPageLength = 10;
    public const int MaxPageLength = 100;

    public static IResult Page(HttpContext context, IReadOnlyList<JsonNode> items)
    {
        var query = context.Request.Query;
        if (!TryReadInt(query["pagelen"], DefaultPageLength, out var pagelen) || pagelen is < 1 or > MaxPageLength)
        {
            return BitbucketError.Result(StatusCodes.Status400BadRequest, $"Invalid pagelen: pagelen must be between 1 and {MaxPageLength}");
        }

        if (!TryReadInt(query["page"], 1, out var page) || page < 1)
        {
            return BitbucketError.Result(StatusCodes.Status400BadRequest, "Invalid page");
        }

        var start = (long)(page - 1) * pagelen;
        var values = new JsonArray();
        for (var i = start; i < Math.Min(items.Count, start + pagelen); i++)
        {
            values.Add(items[(int)i]);
        }

        var body = new JsonObject
        {
            ["size"] = items.Count,
            ["page"] = page,
            ["pagelen"] = pagelen,
        };
        if (start + pagelen < items.Count)
        {
            body["next"] = PageLink(context, page + 1);
        }

        if (page > 1)
        {
            body["previous"] = PageLink(context, page - 1);
        }

        body["values"] = values;
        return new JsonNodeResult(body);
    }

    private static bool TryReadInt(string? text, int fallback, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The request's own URL (origin from its Host header, path as sent) with <c>page</c> replaced.</summary>
    private static string PageLink(HttpContext context, int page)
    {
        var raw = RequestTarget.Of(context);
        var builder = new StringBuilder(RequestTarget.Origin(context)).Append(raw.Path).Append('?');
        foreach (var pair in new QueryStringEnumerable(raw.Query))
        {
            var name = pair.DecodeName().ToString();
            if (name == "page")
            {
                continue;
            }

            builder.Append(FormEncode(name)).Append('=').Append(FormEncode(pair.DecodeValue().ToString())).Append('&');
        }

        return builder.Append("page=").Append(page.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>application/x-www-form-urlencoded as Python's urlencode writes it: space → '+', upper-case hex.</summary>
    internal static string FormEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
