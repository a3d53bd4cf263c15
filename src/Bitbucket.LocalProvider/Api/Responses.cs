using System.Text;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Api;

/// <summary>A JSON response written from a <see cref="JsonNode"/>, with optional extra headers.</summary>
internal sealed class JsonNodeResult(JsonNode body, int statusCode = StatusCodes.Status200OK) : IResult
{
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        foreach (var (name, value) in Headers)
        {
            response.Headers.Append(name, value);
        }

        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(body.ToJsonString(), Encoding.UTF8, httpContext.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>Bitbucket's error body: <c>{"type":"error","error":{"message":…,"detail"?:…,"fields"?:…}}</c>.</summary>
internal static class BitbucketError
{
    public const string NotFound = "Resource not found";

    public static JsonNodeResult Result(int statusCode, string message, string? detail = null, JsonObject? fields = null)
    {
        var error = new JsonObject { ["message"] = message };
        if (detail is not null)
        {
            error["detail"] = detail;
        }

        if (fields is not null)
        {
            error["fields"] = fields;
        }

        return new JsonNodeResult(new JsonObject { ["type"] = "error", ["error"] = error }, statusCode);
    }

    /// <summary>A 400 for one invalid field, worded like Bitbucket's form validation errors.</summary>
    public static JsonNodeResult Field(string field, string problem) =>
        Result(StatusCodes.Status400BadRequest, $"{field}: {problem}", fields: new JsonObject { [field] = new JsonArray(problem) });

    /// <summary>The message a failing status gets from the fail-next test hook.</summary>
    public static string MessageFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status429TooManyRequests => "Rate limit for this resource has been exceeded",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        >= 500 => "Something went wrong",
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status403Forbidden => "Access denied",
        _ => "Bad request",
    };
}

/// <summary>A text body (plain or form-encoded) with a status and, for a 401, a <c>WWW-Authenticate</c> challenge.</summary>
internal sealed class TextResult(int statusCode, string body, string contentType = "text/plain", string? challenge = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (challenge is not null && statusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = challenge;
        }

        response.ContentType = contentType + "; charset=utf-8";
        return response.WriteAsync(body, Encoding.UTF8, httpContext.RequestAborted);
    }
}
