using System.Globalization;
using System.Net;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// A server's <c>Retry-After</c> (RFC 9110 §10.2.3) in either form — delay-seconds or an HTTP-date —
/// and what bb does about it: wait when it is within the cap and the time left, otherwise stop at
/// once rather than sleep out the whole <c>--timeout</c>.
/// </summary>
internal static class RetryAfter
{
    /// <summary>Beyond any sensible wait; keeps the arithmetic away from overflow.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    /// <summary>How long <paramref name="response"/> asks the client to wait; null without a (valid) header.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now)
    {
        if (!response.Headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var raw = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (raw.All(char.IsAsciiDigit))
        {
            // Digits only: seconds, however many (a value past long's range is simply "very long").
            return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < Longest.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : Longest;
        }

        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > Longest ? Longest : wait;
        }

        return null;
    }

    /// <summary>Whole seconds for a message, rounded up so "retry after N s" is never too early.</summary>
    public static long Seconds(TimeSpan wait) => (long)Math.Ceiling(wait.TotalSeconds);

    /// <summary>The answers whose <c>Retry-After</c> bb honours.</summary>
    public static bool Applies(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
}

/// <summary>The server asked bb to wait longer than it will: the one line says how long the server asked for.</summary>
public sealed class RateLimitedException(long seconds, int status)
    : CliException(status == 429 ? $"rate limited; retry after {seconds} s" : $"the server is unavailable (HTTP {status}); retry after {seconds} s")
{
    public long Seconds { get; } = seconds;
}
