using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests.Interop;

/// <summary>Signs <see cref="InteropCase"/>s the way bb does and describes each as the server will receive it.</summary>
internal static class InteropSigner
{
    /// <summary>What leaves the process: method, URI as the server reconstructs it, headers and body.</summary>
    internal sealed record WireRequest(string Method, string Uri, string Authorization, string? ContentType, string? Body);

    public static async Task<WireRequest> SignAsync(InteropCase c)
    {
        if (!c.ViaHandler)
        {
            var header = OAuthRequestSigner.CreateAuthorizationHeader(c.Method, c.Uri, c.IsForm ? c.Body : null, c.Credentials, c.Nonce, c.Timestamp, c.Extra);
            return new WireRequest(c.Method, ServerSideUri(c.Uri), header, c.ContentType, c.Body);
        }

        var inner = new CapturingHandler();
        var signer = new OAuthSigningHandler(() => c.Credentials, ManualTimeProvider.AtUnixSeconds(c.Timestamp), new SequenceNonceSource(c.Nonce)) { InnerHandler = inner };
        using var invoker = new HttpMessageInvoker(signer);
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Uri);
        if (c.FormPairs is not null)
        {
            request.Content = new FormUrlEncodedContent(c.FormPairs);
        }
        else if (c.Body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(c.Body));
            content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            request.Content = content;
        }

        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        var sent = inner.Requests.Single();
        return new WireRequest(sent.Method, ServerSideUri(sent.Uri), sent.Authorization!, sent.ContentType, sent.Body);
    }

    /// <summary>
    /// The absolute URI a server rebuilds from the request: scheme, the Host header HttpClient sends
    /// (IDN host, port unless default) and the request-target (<see cref="Uri.PathAndQuery"/>, as sent).
    /// </summary>
    public static string ServerSideUri(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost;
        var authority = uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return uri.Scheme + "://" + authority + uri.PathAndQuery;
    }

    /// <summary>Our base string for a case, shown next to oauthlib's when they disagree.</summary>
    public static string OurBaseString(InteropCase c, WireRequest wire)
    {
        var header = OAuthRequestSigner.ParseAuthorizationHeader(wire.Authorization);
        var isForm = wire.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        return OAuthSignatureBase.BaseString(c.Method, c.Uri, OAuthSignatureBase.CollectParameters(c.Uri, header, isForm ? wire.Body : null));
    }

    /// <summary>One JSON line for verify.py (Utf8JsonWriter: no reflection, non-ASCII escaped).</summary>
    public static string ToJsonLine(InteropCase c, WireRequest wire)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", c.Id);
            json.WriteString("method", wire.Method);
            json.WriteString("uri", wire.Uri);
            json.WriteStartObject("headers");
            json.WriteString("Authorization", wire.Authorization);
            if (wire.ContentType is not null)
            {
                json.WriteString("Content-Type", wire.ContentType);
            }

            json.WriteEndObject();
            json.WriteString("body", wire.Body);
            json.WriteString("consumer_key", c.Credentials.ConsumerKey);
            json.WriteString("consumer_secret", c.Credentials.ConsumerSecret);
            json.WriteString("token", c.Credentials.Token);
            json.WriteString("token_secret", c.Credentials.TokenSecret);
            json.WriteString("signature_method", SignatureMethods.ToWire(c.Credentials.Method));
            json.WriteString("rsa_public_key_pem", c.PublicKeyPem);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
