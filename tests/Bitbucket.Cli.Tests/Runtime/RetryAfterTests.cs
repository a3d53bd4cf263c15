using System.Globalization;
using System.Net;
using Bitbucket.Cli.Core.Http;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>Both forms of Retry-After (RFC 9110 §10.2.3), read against a given clock.</summary>
public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("45", 45)]
    [InlineData(" 86400 ", 86400)]
    [InlineData("Fri, 04 Dec 2026 12:00:30 GMT", 30)]
    [InlineData("Sat, 05 Dec 2026 12:00:00 GMT", 86400)]
    [InlineData("Fri, 04 Dec 2026 11:00:00 GMT", 0)] // in the past: no wait
    public void Both_forms_give_the_wait(string header, long seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Of(response, Now));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("")]
    public void Nonsense_is_no_header(string header)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        Assert.Null(RetryAfter.Of(response, Now));
    }

    [Fact]
    public void A_number_past_any_range_is_very_long_not_zero()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "99999999999999999999999");

        Assert.True(RetryAfter.Of(response, Now) > TimeSpan.FromDays(365), string.Create(CultureInfo.InvariantCulture, $"{RetryAfter.Of(response, Now)}"));
    }
}
