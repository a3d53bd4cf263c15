using System.Security.Cryptography;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>A clock that only moves when told to.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public static ManualTimeProvider AtUnixSeconds(long seconds) => new(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Hands out the given nonces in order, then "nonce-N".</summary>
internal sealed class SequenceNonceSource(params string[] nonces) : INonceSource
{
    private int next;

    public string NextNonce()
    {
        var index = next++;
        return index < nonces.Length ? nonces[index] : "nonce" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>What an inner handler saw: the request as it would leave the process.</summary>
internal sealed record CapturedRequest(string Method, Uri Uri, string? Authorization, string? ContentType, string? Body);

/// <summary>Terminal handler that records each request (reading the body, as the socket would) and answers with queued statuses.</summary>
internal sealed class CapturingHandler(params System.Net.HttpStatusCode[] statuses) : HttpMessageHandler
{
    public List<CapturedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Capture(request, request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Capture(request, request.Content?.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult());

    private HttpResponseMessage Capture(HttpRequestMessage request, string? body)
    {
        Requests.Add(new(
            request.Method.Method,
            request.RequestUri!,
            request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : null,
            request.Content?.Headers.ContentType?.ToString(),
            body));
        var status = Requests.Count <= statuses.Length ? statuses[Requests.Count - 1] : System.Net.HttpStatusCode.OK;
        return new HttpResponseMessage(status);
    }
}

internal static class TestKeys
{
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", fileName);

    /// <summary>The checked-in test key (TestData/README.md): PKCS#1 form.</summary>
    public static RSA CheckedIn() => RsaKeys.LoadPrivateKeyPem(PathOf("rsa-test-key-pkcs1.pem"));

    public static RSA CheckedInPublic()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(PathOf("rsa-test-key-public.pem")));
        return rsa;
    }
}

/// <summary>Server-side check of a captured request with our own functions (the interop suite uses oauthlib instead).</summary>
internal static class SelfCheck
{
    public static bool Verify(CapturedRequest request, OAuthCredentials credentials, RSA? publicKey = null, bool signBody = true)
    {
        var header = OAuthRequestSigner.ParseAuthorizationHeader(request.Authorization!);
        var signature = header.Single(p => p.Key == "oauth_signature").Value;
        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        var parameters = OAuthSignatureBase.CollectParameters(request.Uri, header, isForm && signBody ? request.Body : null);
        var baseString = OAuthSignatureBase.BaseString(request.Method, request.Uri, parameters);
        return OAuthSignature.Verify(credentials.Method, baseString, signature, credentials.ConsumerSecret, credentials.TokenSecret, publicKey);
    }

    public static string Param(CapturedRequest request, string name) =>
        OAuthRequestSigner.ParseAuthorizationHeader(request.Authorization!).Single(p => p.Key == name).Value;
}
