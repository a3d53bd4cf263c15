using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.TestHooks;

/// <summary>
/// <c>GET/DELETE /__test/requests</c>, <c>POST /__test/fail-next</c> and <c>GET/DELETE /__test/connections</c>.
/// Mapped only with <c>--test-hooks</c>; the hook requests themselves are not recorded (nor counted as connections).
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

        // How many connections clients opened (with --https: TLS handshakes completed), and the protocol each
        // one spoke: {"connections":1,"protocols":{"HTTP/2":1}}. A connection that carried a hook request is left out.
        app.MapGet(Prefix + "/connections", () =>
        {
            var (count, protocols) = hooks.CountConnections();
            var byProtocol = new JsonObject();
            foreach (var (protocol, n) in protocols)
            {
                byProtocol[protocol] = n;
            }

            return new JsonNodeResult(new JsonObject { ["connections"] = count, ["protocols"] = byProtocol });
        });

        app.MapDelete(Prefix + "/connections", () =>
        {
            hooks.ClearConnections();
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
