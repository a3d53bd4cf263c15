using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.TestHooks;

/// <summary>
/// <c>GET/DELETE /__test/requests</c> and <c>POST /__test/fail-next</c>. Mapped only with <c>--test-hooks</c>;
/// the hook requests themselves are not recorded.
/// </summary>
internal static class TestHookEndpoints
{
    public const string Prefix = "/__test";

    public static void Map(IEndpointRouteBuilder app, TestHookState hooks)
    {
        app.MapGet(Prefix + "/requests", (HttpContext context) =>
        {
            var all = hooks.Snapshot();
            var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : all.Count;
            var requests = new JsonArray();
            foreach (var request in all.Skip(Math.Max(0, all.Count - limit)))
            {
                requests.Add(request.ToJson());
            }

            return new JsonNodeResult(new JsonObject { ["requests"] = requests });
        });

        app.MapDelete(Prefix + "/requests", () =>
        {
            hooks.Clear();
            return Results.NoContent();
        });

        app.MapPost(Prefix + "/fail-next", (HttpContext context) =>
        {
            var query = context.Request.Query;
            if (!TryInt(query["status"], 429, out var status) || status is < 400 or > 599)
            {
                return BitbucketError.Result(StatusCodes.Status400BadRequest, "status must be between 400 and 599");
            }

            if (!TryInt(query["count"], 1, out var count) || count < 0)
            {
                return BitbucketError.Result(StatusCodes.Status400BadRequest, "count must be a number ≥ 0");
            }

            int? retryAfter = null;
            if (!string.IsNullOrEmpty(query["retryAfter"]))
            {
                if (!TryInt(query["retryAfter"], 0, out var seconds) || seconds < 0)
                {
                    return BitbucketError.Result(StatusCodes.Status400BadRequest, "retryAfter must be a number of seconds");
                }

                retryAfter = seconds;
            }

            hooks.FailNext(status, count, retryAfter);
            return new JsonNodeResult(new JsonObject { ["status"] = status, ["count"] = count, ["retryAfter"] = retryAfter });
        });
    }

    private static bool TryInt(string? text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
