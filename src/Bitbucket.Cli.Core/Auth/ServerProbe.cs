using System.Net;
using System.Text.Json;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>What the probe learned about a server: its flavour and, for Data Center, its version.</summary>
internal sealed record ServerIdentity(ApiFlavor Flavor, string? Version);

/// <summary>
/// Recognises a Bitbucket Data Center server without credentials: <c>GET {api-url}{probe}</c>
/// (application properties) answers a JSON object with a string <c>version</c> there and nowhere
/// else. Anything else — another status, HTML, a timeout, a refused connection — means Cloud, as
/// bb assumed before it knew flavours. Bounded in time and size; never follows a redirect to
/// another origin; never signs.
/// </summary>
internal static class ServerProbe
{
    /// <summary>Application properties are a few hundred bytes.</summary>
    internal const int MaxBody = 64 * 1024;

    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The description of <paramref name="flavor"/> in <paramref name="apis"/>.</summary>
    /// <exception cref="UsageException">This bb was built without that API.</exception>
    public static ApiDescription Describe(IReadOnlyList<ApiDescription> apis, ApiFlavor flavor)
        => apis.FirstOrDefault(a => a.Flavor == flavor)
            ?? throw new UsageException($"this bb knows no {ApiFlavors.DisplayName(flavor)} API");

    /// <summary>The Data Center probe endpoint for <paramref name="apiUrl"/> (context path kept), or null when the catalog has none.</summary>
    public static Uri? ProbeUrl(IReadOnlyList<ApiDescription> apis, string apiUrl)
        => apis.FirstOrDefault(a => a.Flavor == ApiFlavor.DataCenter)?.ProbePath is { } path ? Derive(apiUrl, path) : null;

    /// <summary><c>{api-url without trailing slash}{path}</c>: a context path stays.</summary>
    public static Uri Derive(string apiUrl, string path) => new(apiUrl.TrimEnd('/') + "/" + path.TrimStart('/'), UriKind.Absolute);

    /// <summary>Asks <paramref name="url"/>; Data Center with its version, or Cloud whatever went wrong (only the caller's cancellation escapes).</summary>
    public static async Task<ServerIdentity> IdentifyAsync(ConsoleIO io, TimeProvider time, INonceSource nonces, Uri url, bool verbose, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var http = HttpPipeline.Create(
            new HttpPipelineOptions
            {
                BaseAddress = url,
                Verbose = verbose || io.Debug,
                Timeout = timeout ?? DefaultTimeout,
                MaxRetries = 0,
            },
            io,
            time,
            nonces,
            new SameOriginTransport(HttpPipeline.OriginOf(url)));
        return await IdentifyAsync(http, url, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The probe over a given client (tests hand in their own).</summary>
    internal static async Task<ServerIdentity> IdentifyAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new ServerIdentity(ApiFlavor.Cloud, null);
            }

            var body = await HttpBodies.ReadBoundedAsync(response.Content, MaxBody, cancellationToken).ConfigureAwait(false);
            return VersionIn(body) is { } version ? new ServerIdentity(ApiFlavor.DataCenter, version) : new ServerIdentity(ApiFlavor.Cloud, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ServerIdentity(ApiFlavor.Cloud, null);
        }
    }

    /// <summary>The string <c>version</c> of a JSON object, or null for anything else.</summary>
    internal static string? VersionIn(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version)
                && version.ValueKind == JsonValueKind.String
                && version.GetString() is { Length: > 0 and <= 64 } text
                && !text.Any(char.IsControl)
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The sockets transport, refusing any origin but the probed one: a redirect elsewhere is not followed.</summary>
    private sealed class SameOriginTransport(string origin) : DelegatingHandler(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseCookies = false,
    })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => HttpPipeline.OriginOf(request.RequestUri!) == origin
                ? base.SendAsync(request, cancellationToken)
                : throw new HttpRequestException($"the probe does not follow a redirect to {request.RequestUri!.Host}");
    }
}
