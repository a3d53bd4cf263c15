using System.Net;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Core.Http;

/// <summary>Reading response bodies bb does not stream: bounded, so a hostile server cannot make bb hold more.</summary>
internal static class HttpBodies
{
    /// <summary>How much of an error response is read to phrase its one line.</summary>
    public const int MaxErrorBody = 256 * 1024;

    /// <summary>Reads at most <paramref name="max"/> bytes of a body; a body that breaks off reads as what arrived (or nothing).</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpContent content, int max, CancellationToken ct)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[max];
            var total = 0;
            int read;
            while (total < max && (read = await stream.ReadAsync(buffer.AsMemory(total, max - total), ct).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
        catch (HttpRequestException)
        {
            return []; // the body broke off; the status line still says what happened
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Reads (a bounded part of) an error response into one line; 401 means log in again.</summary>
    public static async Task<CliException> ApiErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await ReadBoundedAsync(response.Content, MaxErrorBody, ct).ConfigureAwait(false);
        var line = ApiErrorLine.Format((int)response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType?.ToString(), bytes);
        var message = line.StartsWith("bb: ", StringComparison.Ordinal) ? line[4..] : line;
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? new AuthException($"{message}; run bb auth login (or check BB_CONSUMER_KEY/BB_ACCESS_TOKEN)")
            : new CliException(message);
    }

    /// <summary>
    /// Labels network failures with the origin they concern, for the one-line message: transport
    /// failures (also when Refit wraps them in its own exception) and a body that breaks off while it
    /// is read.
    /// </summary>
    public static async Task<T> LabelFailuresAsync<T>(Uri target, Func<Task<T>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            for (var inner = e; inner is not null; inner = inner.InnerException)
            {
                if (inner is HttpRequestException or IOException or InvalidDataException && inner.Data[FailureReporter.TargetKey] is null)
                {
                    inner.Data[FailureReporter.TargetKey] = target.GetLeftPart(UriPartial.Authority);
                }
            }

            throw;
        }
    }
}
