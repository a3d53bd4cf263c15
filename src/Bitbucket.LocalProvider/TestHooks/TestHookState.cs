using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.TestHooks;

/// <summary>One request as the provider saw it, with every <c>oauth_signature</c> value removed.</summary>
internal sealed class RecordedRequest
{
    public required string Method { get; init; }
    public required string Target { get; init; }
    public required List<KeyValuePair<string, string>> Headers { get; init; }
    public required string Body { get; init; }
    public int? Status { get; set; }
    public string? BaseString { get; set; }
    public string? OAuthError { get; set; }

    public JsonObject ToJson()
    {
        var headers = new JsonObject();
        foreach (var (name, value) in Headers)
        {
            headers[name] = value;
        }

        return new JsonObject
        {
            ["method"] = Method,
            ["target"] = Target,
            ["headers"] = headers,
            ["body"] = Body,
            ["status"] = Status,
            ["oauth_base_string"] = BaseString,
            ["oauth_error"] = OAuthError,
        };
    }
}

/// <summary>State behind <c>/__test/requests</c> and <c>/__test/fail-next</c> (only with <c>--test-hooks</c>).</summary>
internal sealed partial class TestHookState(int limit)
{
    private readonly Lock sync = new();
    private readonly LinkedList<RecordedRequest> requests = new();
    private int failCount;
    private int failStatus;
    private int? failRetryAfter;

    // Connection id → the protocol of its first request (HookConnection for the hooks' own, "" before any request).
    private readonly ConcurrentDictionary<string, string> connections = new(StringComparer.Ordinal);
    private const string HookConnection = "hook";

    /// <summary>A connection was accepted (with <c>--https</c>: its TLS handshake completed).</summary>
    public void ConnectionOpened(string connectionId) => connections.TryAdd(connectionId, "");

    /// <summary>
    /// A request arrived on <paramref name="connectionId"/>: its first request names the connection's protocol,
    /// and a connection that carried a test hook request is the test's own, not the client's under test.
    /// </summary>
    public void ConnectionUsed(string connectionId, string protocol, bool hook)
    {
        if (hook)
        {
            connections[connectionId] = HookConnection;
        }
        else
        {
            connections.TryUpdate(connectionId, protocol, "");
        }
    }

    /// <summary>Connections accepted since the start or the last <see cref="ClearConnections"/>, the hooks' own left out, by protocol.</summary>
    public (int Count, SortedDictionary<string, int> Protocols) CountConnections()
    {
        var counted = connections.Values.Where(p => p != HookConnection).ToList();
        var protocols = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var protocol in counted.Where(p => p.Length > 0))
        {
            protocols[protocol] = protocols.GetValueOrDefault(protocol) + 1;
        }

        return (counted.Count, protocols);
    }

    public void ClearConnections() => connections.Clear();

    public void Record(RecordedRequest request)
    {
        lock (sync)
        {
            requests.AddLast(request);
            while (requests.Count > limit)
            {
                requests.RemoveFirst();
            }
        }
    }

    public List<RecordedRequest> Snapshot()
    {
        lock (sync)
        {
            return [.. requests];
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            requests.Clear();
        }
    }

    public void FailNext(int status, int count, int? retryAfter)
    {
        lock (sync)
        {
            (failStatus, failCount, failRetryAfter) = (status, count, retryAfter);
        }
    }

    /// <summary>The injected failure for this protected request, if one is still pending, in the flavour's error shape.</summary>
    public IResult? TakeFailure(Func<int, string, JsonNodeResult> error)
    {
        int status;
        int? retryAfter;
        lock (sync)
        {
            if (failCount <= 0)
            {
                return null;
            }

            failCount--;
            (status, retryAfter) = (failStatus, failRetryAfter);
        }

        var result = error(status, BitbucketError.MessageFor(status));
        if (retryAfter is { } seconds)
        {
            result.Headers.Add(new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    /// <summary>Removes <c>oauth_signature="…"</c> from an Authorization header value.</summary>
    public static string RedactHeader(string value) => HeaderSignature().Replace(value, "").TrimEnd(',', ' ', '\t');

    /// <summary>Removes the <c>oauth_signature</c> pair from a query string or form body.</summary>
    public static string RedactPairs(string text)
    {
        if (!text.Contains("oauth_signature", StringComparison.Ordinal))
        {
            return text;
        }

        var leading = text.StartsWith('?') ? "?" : "";
        var kept = text.TrimStart('?').Split('&').Where(p => !p.StartsWith("oauth_signature=", StringComparison.Ordinal) && p != "oauth_signature");
        var joined = string.Join('&', kept);
        return joined.Length == 0 ? "" : leading + joined;
    }

    [GeneratedRegex("""oauth_signature\s*=\s*("[^"]*"|[^,\s]*)\s*,?\s*""")]
    private static partial Regex HeaderSignature();
}
