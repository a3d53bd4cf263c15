using System.Security.Cryptography;
using System.Text;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>
/// Awkward requests signed end to end by <see cref="OAuthRequestSigner.CreateAuthorizationHeader"/>, each
/// checked against a value that oauthlib 3.2.2 (Debian's python3-oauthlib, an independent RFC 5849
/// implementation) computed for the same request, nonce and timestamp with its <c>rfc5849.signature</c>
/// steps: <c>collect_parameters</c> → <c>normalize_parameters</c> → <c>base_string_uri</c> →
/// <c>signature_base_string</c> → <c>sign_hmac_sha1</c> / <c>sign_plaintext</c>. The interop suite
/// (<c>InteropTests</c>) also has oauthlib verify these requests live.
/// </summary>
public sealed class EdgeCaseSigningTests
{
    private const string Nonce = "kllo9940pd9333jh";
    private const long Timestamp = 1191242096;

    // RFC 5849 §1.2's photo-sharing credentials.
    private static readonly OAuthCredentials Photos = new("dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", SignatureMethod.HmacSha1);

    private const string ProtocolPart =
        "oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1"
        + "%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0";

    [Fact]
    public void Escapes_of_invalid_utf8_are_signed_as_U_FFFD()
    {
        // %FF (never valid), %C3 (truncated two-byte sequence), %E2%82 (truncated three-byte sequence):
        // each decodes to one U+FFFD (EF BF BD), as Python's parse_qsl does.
        var uri = new Uri("https://example.com/p?a=%FF&b=%C3&c=%E2%82");

        AssertSigned("GET", uri, null, Photos,
            "GET&https%3A%2F%2Fexample.com%2Fp&a%3D%25EF%25BF%25BD%26b%3D%25EF%25BF%25BD%26c%3D%25EF%25BF%25BD%26" + ProtocolPart,
            "YtOSIHxW4UyubmlYozKBcFIu3/M=");
    }

    [Fact]
    public void Plus_in_the_query_repeated_keys_empty_values_and_bare_flags_sign_like_oauthlib()
    {
        // '+' is a space (so q and s are the same value, r is a literal '+'); a=2, a=1 and a= are all
        // signed, sorted by value; ?flag signs as flag=.
        var uri = new Uri("https://example.com/x?q=a+b&r=a%2Bb&s=a%20b&a=2&a=1&a=&flag");

        AssertSigned("GET", uri, null, Photos,
            "GET&https%3A%2F%2Fexample.com%2Fx&a%3D%26a%3D1%26a%3D2%26flag%3D%26" + ProtocolPart
            + "%26q%3Da%2520b%26r%3Da%252Bb%26s%3Da%2520b",
            "+kCWijmf6pq7q0jcn/dVef7gn5s=");
    }

    [Fact]
    public void Three_hundred_parameters_in_query_and_form_body_sort_like_oauthlib()
    {
        // 37 names in reverse order, each repeated with values in a different order; the form body repeats them.
        var query = string.Join('&', Enumerable.Range(0, 300).Select(i => $"p{(299 - i) % 37}={i % 7}"));
        var uri = new Uri("https://example.com/many?" + query);
        var formBody = "z=1&" + query;

        var baseString = BaseString("POST", uri, formBody, Photos);
        Assert.Equal(6071, baseString.Length);
        Assert.Equal("3489189ec0de30587b65c40d2ceabd9224f6c0ac279003dcc4c045f557358579",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseString))));
        Assert.Equal("QAsC8SXdunRAFBex04Pe9tmkpsw=", Signature(OAuthRequestSigner.CreateAuthorizationHeader("POST", uri, formBody, Photos, Nonce, Timestamp)));
    }

    [Fact]
    public void Lone_surrogates_in_secrets_are_signed_as_U_FFFD()
    {
        // A lone surrogate cannot be UTF-8 encoded (§3.6 step 1); it is signed as U+FFFD, so the server
        // must hold "\uFFFDlone" and "lone\uFFFD". oauthlib's signatures for those secrets:
        var credentials = Photos with { ConsumerSecret = "\ud800lone", TokenSecret = "lone\udfff" };
        var uri = new Uri("https://example.com/r?a=b");

        AssertSigned("GET", uri, null, credentials,
            "GET&https%3A%2F%2Fexample.com%2Fr&a%3Db%26" + ProtocolPart,
            "sXCEG2CUDtwvwi2BMpGC4VYirmc=");

        // §3.4.4 PLAINTEXT: enc("\uFFFDlone") & enc("lone\uFFFD"), itself percent-encoded in the header (§3.5.1).
        var plaintext = OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, credentials with { Method = SignatureMethod.Plaintext }, Nonce, Timestamp);
        Assert.Equal("%EF%BF%BDlone&lone%EF%BF%BD", Signature(plaintext));
        Assert.EndsWith("oauth_signature=\"%25EF%25BF%25BDlone%26lone%25EF%25BF%25BD\"", plaintext, StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogates_in_header_values_travel_as_U_FFFD()
    {
        // §3.5.1 encodes every value with §3.6: U+FFFD is EF BF BD in UTF-8.
        var header = OAuthRequestSigner.CreateAuthorizationHeader(
            "POST", new Uri("https://example.com/access_token"), null, Photos with { Realm = "\udc00" }, Nonce, Timestamp, [new("oauth_verifier", "v\ud800 ü")]);

        Assert.StartsWith("OAuth realm=\"%EF%BF%BD\", ", header, StringComparison.Ordinal);
        Assert.Contains(", oauth_verifier=\"v%EF%BF%BD%20%C3%BC\", ", header, StringComparison.Ordinal);
        Assert.Equal(Encoding.ASCII.GetByteCount(header), header.Length);
    }

    [Fact]
    public void Bad_input_is_refused_before_anything_is_signed()
    {
        var uri = new Uri("https://example.com/");

        Assert.Throws<ArgumentException>(() => OAuthRequestSigner.CreateAuthorizationHeader("", uri, null, Photos, Nonce, Timestamp));
        Assert.Throws<ArgumentException>(() => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Photos with { ConsumerKey = "" }, Nonce, Timestamp));
        var rsa = Assert.Throws<ArgumentException>(() => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Photos with { Method = SignatureMethod.RsaSha1 }, Nonce, Timestamp));
        Assert.Contains("RSA-SHA1 needs the consumer's RSA private key", rsa.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Photos.ConsumerSecret, rsa.Message, StringComparison.Ordinal);
    }

    /// <summary>Checks the base string our steps build and the signature in the header we send.</summary>
    private static void AssertSigned(string method, Uri uri, string? formBody, OAuthCredentials credentials, string expectedBaseString, string expectedSignature)
    {
        Assert.Equal(expectedBaseString, BaseString(method, uri, formBody, credentials));
        Assert.Equal(expectedSignature, Signature(OAuthRequestSigner.CreateAuthorizationHeader(method, uri, formBody, credentials, Nonce, Timestamp)));
    }

    private static string BaseString(string method, Uri uri, string? formBody, OAuthCredentials credentials) =>
        OAuthSignatureBase.BaseString(method, uri, OAuthSignatureBase.CollectParameters(uri, OAuthRequestSigner.ProtocolParameters(credentials, Nonce, Timestamp), formBody));

    private static string Signature(string header) =>
        OAuthRequestSigner.ParseAuthorizationHeader(header).Single(p => p.Key == "oauth_signature").Value;
}
