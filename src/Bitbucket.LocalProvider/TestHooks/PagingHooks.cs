using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.TestHooks;

/// <summary>
/// <c>/__test/paging</c> (only with <c>--test-hooks</c>): a server that takes its time over each API GET, so that
/// paging in parallel has something to overlap, and that shows how requests overlapped.
/// <list type="bullet">
/// <item><c>POST /__test/paging?latencyMs=250&amp;slowPage=2&amp;slowMs=1500&amp;failPage=5&amp;failStatus=429</c>
/// sets it up (every parameter optional; 0 or absent turns a part off) and forgets what was recorded.
/// <c>failPage</c> answers the first request for that <c>page</c> with <c>failStatus</c> (default 429,
/// <c>Retry-After: 0</c>) once.</item>
/// <item><c>GET /__test/paging</c>: <c>{"requests":[{"target","page","concurrent","done"}]}</c> in arrival order:
/// <c>concurrent</c> is how many API GETs were waiting out their latency when this one arrived (itself included),
/// <c>done</c> the order in which they finished waiting.</item>
/// <item><c>DELETE /__test/paging</c> turns it all off.</item>
/// </list>
/// A request stops counting as concurrent when its wait ends, before its body is written, so a client cannot
/// send its next request before the previous one stopped counting.
/// </summary>
internal static class PagingHooks
{
    private const string Path = TestHookEndpoints.Prefix + "/paging";

    public static void Add(WebApplication app)
    {
        var state = new State();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(TestHookEndpoints.Prefix, StringComparison.Ordinal) || !HttpMethods.IsGet(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var page = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
            if (await state.WaitAsync(RequestTarget.Of(context).ToString(), page, context.RequestAborted).ConfigureAwait(false) is { } status)
            {
                await BitbucketError.Result(status, BitbucketError.MessageFor(status)).WithRetryAfterZero().ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.MapPost(Path, (HttpContext context) =>
        {
            var query = context.Request.Query;
            state.Configure(Int(query["latencyMs"]), Int(query["slowPage"]), Int(query["slowMs"]), Int(query["failPage"]), Int(query["failStatus"]) is var s and > 0 ? s : 429);
            return Results.NoContent();
        });
        app.MapGet(Path, () => new JsonNodeResult(new JsonObject { ["requests"] = state.Recorded() }));
        app.MapDelete(Path, () =>
        {
            state.Configure(0, 0, 0, 0, 429);
            return Results.NoContent();
        });
    }

    private static int Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static JsonNodeResult WithRetryAfterZero(this JsonNodeResult result)
    {
        result.Headers.Add(new("Retry-After", "0"));
        return result;
    }

    private sealed class State
    {
        private readonly Lock sync = new();
        private readonly List<(string Target, int Page, int Concurrent)> arrivals = [];
        private readonly List<int> finished = [];
        private int latencyMs;
        private int slowPage;
        private int slowMs;
        private int failPage;
        private int failStatus = 429;
        private int waiting;

        public void Configure(int latency, int slow, int slowLatency, int fail, int status)
        {
            lock (sync)
            {
                (latencyMs, slowPage, slowMs, failPage, failStatus) = (latency, slow, slowLatency, fail, status);
                arrivals.Clear();
                finished.Clear();
            }
        }

        /// <summary>Waits out the latency; returns a status to answer with instead, for the one failing request.</summary>
        public async Task<int?> WaitAsync(string target, int page, CancellationToken ct)
        {
            int index, delay;
            lock (sync)
            {
                if (latencyMs == 0 && slowMs == 0 && failPage == 0)
                {
                    return null;
                }

                waiting++;
                index = arrivals.Count;
                arrivals.Add((target, page, waiting));
                delay = page == slowPage && slowMs > 0 ? slowMs : latencyMs;
            }

            try
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
            finally
            {
                lock (sync)
                {
                    waiting--;
                    finished.Add(index);
                }
            }

            lock (sync)
            {
                if (page == failPage)
                {
                    failPage = 0;
                    return failStatus;
                }
            }

            return null;
        }

        public JsonArray Recorded()
        {
            lock (sync)
            {
                var requests = new JsonArray();
                for (var i = 0; i < arrivals.Count; i++)
                {
                    requests.Add(new JsonObject
                    {
                        ["target"] = arrivals[i].Target,
                        ["page"] = arrivals[i].Page,
                        ["concurrent"] = arrivals[i].Concurrent,
                        ["done"] = finished.IndexOf(i),
                    });
                }

                return requests;
            }
        }
    }
}
