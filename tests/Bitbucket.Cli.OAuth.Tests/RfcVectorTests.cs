using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>
/// The worked examples of RFC 5849, pasted verbatim (the RFC's "line breaks are for display purposes
/// only" are removed by <see cref="Unwrap"/>), each with the section it comes from.
/// </summary>
public sealed class RfcVectorTests
{
    // RFC 5849 §3.1 / §3.4.1.1 / §3.4.1.3.1 — the request used by every §3.4.1 example:
    //
    //     POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b HTTP/1.1
    //     Host: example.com
    //     Content-Type: application/x-www-form-urlencoded
    //
    //     c2&a3=2+q
    private static readonly Uri ExampleUri = new("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
    private const string ExampleBody = "c2&a3=2+q";

    // RFC 5849 §3.4.1.3.1, the Authorization header of the example request.
    private const string ExampleHeader = """
        OAuth realm="Example",
                       oauth_consumer_key="9djdj82h48djs9d2",
                       oauth_token="kkk9d7dh3k39sjv7",
                       oauth_signature_method="HMAC-SHA1",
                       oauth_timestamp="137131201",
                       oauth_nonce="7d8f3e4a",
                       oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"
        """;

    private static IReadOnlyList<KeyValuePair<string, string>> ExampleParameters() =>
        OAuthSignatureBase.CollectParameters(ExampleUri, OAuthRequestSigner.ParseAuthorizationHeader(ExampleHeader), ExampleBody);

    [Fact]
    public void Section_3_4_1_3_1_collects_the_fully_decoded_parameters()
    {
        // RFC 5849 §3.4.1.3.1: "contains the following (fully decoded) parameters" (realm and
        // oauth_signature excluded), in source order: query, Authorization header, body.
        (string, string)[] table =
        [
            ("b5", "=%3D"),
            ("a3", "a"),
            ("c@", ""),
            ("a2", "r b"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("c2", ""),
            ("a3", "2 q"),
        ];

        Assert.Equal(table, ExampleParameters().Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Section_3_4_1_3_2_normalizes_the_parameters()
    {
        // RFC 5849 §3.4.1.3.2, "concatenated together into a single string".
        var expected = Unwrap("""
            a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9dj
            dj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1
            &oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7
            """);

        Assert.Equal(expected, OAuthSignatureBase.NormalizeParameters(ExampleParameters()));
    }

    [Fact]
    public void Section_3_4_1_1_builds_the_signature_base_string()
    {
        // RFC 5849 §3.4.1.1, "is represented by the following signature base string".
        var expected = Unwrap("""
            POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q
            %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_
            key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m
            ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk
            9d7dh3k39sjv7
            """);

        Assert.Equal(expected, OAuthSignatureBase.BaseString("POST", ExampleUri, ExampleParameters()));
    }

    [Theory]
    // RFC 5849 §3.4.1.2: "GET /r%20v/X?id=123 HTTP/1.1 / Host: EXAMPLE.COM:80" is represented by
    // the base string URI "http://example.com/r%20v/X".
    [InlineData("http://EXAMPLE.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X")]
    // RFC 5849 §3.4.1.2: the HTTPS request "GET /?q=1 HTTP/1.1 / Host: www.example.net:8080" is
    // represented by "https://www.example.net:8080/".
    [InlineData("https://www.example.net:8080/?q=1", "https://www.example.net:8080/")]
    public void Section_3_4_1_2_base_string_uri(string requestUri, string expected) =>
        Assert.Equal(expected, OAuthSignatureBase.BaseStringUri(new Uri(requestUri)));

    [Fact]
    public void Section_3_1_hmac_sha1_signature_of_the_example_request()
    {
        // RFC 5849 §3.1: "using client secret "j49sk3j29djd" and token secret "dh893hdasih9"".
        // The RFC prints oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D", which cannot be reproduced
        // from the verbatim base string above and those secrets: oauthlib (Debian 3.2.2,
        // signature.sign_hmac_sha1) computes the same value as we do, pinned here.
        var baseString = OAuthSignatureBase.BaseString("POST", ExampleUri, ExampleParameters());

        Assert.Equal("r6/TJjbCOr97/+UU0NsvSne7s5g=", OAuthSignature.Sign(SignatureMethod.HmacSha1, baseString, "j49sk3j29djd", "dh893hdasih9", null));
        Assert.NotEqual("bYT5CMsGcbgUdFHObYMEfcx6bsw=", OAuthSignature.Sign(SignatureMethod.HmacSha1, baseString, "j49sk3j29djd", "dh893hdasih9", null));
    }

    [Fact]
    public void Section_3_4_4_plaintext_is_the_encoded_secrets_joined_by_ampersand()
    {
        // RFC 5849 §3.4.4 with the §3.1 secrets; the '&' is there even when a secret is empty.
        Assert.Equal("j49sk3j29djd&dh893hdasih9", OAuthSignature.Sign(SignatureMethod.Plaintext, "ignored", "j49sk3j29djd", "dh893hdasih9", null));
        Assert.Equal("kd94hf93k423kf44&", OAuthSignature.Sign(SignatureMethod.Plaintext, "ignored", "kd94hf93k423kf44", null, null));
        Assert.Equal("&", OAuthSignature.Sign(SignatureMethod.Plaintext, "ignored", "", "", null));
        // Secrets are encoded (§3.6) before joining (oauthlib signature.sign_plaintext agrees).
        Assert.Equal("kd94hf93k423kf44%26%3D%2B%25%20%2F%C3%BC&", OAuthSignature.Sign(SignatureMethod.Plaintext, "ignored", "kd94hf93k423kf44&=+% /ü", "", null));
    }

    // RFC 5849 §1.2: client credentials of 'printer.example.com' at 'photos.example.net'.
    private const string PhotosKey = "dpf43f3p2l4k3l03";
    private const string PhotosSecret = "kd94hf93k423kf44";

    [Fact]
    public void Section_1_2_temporary_credential_request()
    {
        // RFC 5849 §1.2: the HTTPS request to https://photos.example.net/initiate
        const string header = """
            OAuth realm="Photos",
                    oauth_consumer_key="dpf43f3p2l4k3l03",
                    oauth_signature_method="HMAC-SHA1",
                    oauth_timestamp="137131200",
                    oauth_nonce="wIjqoS",
                    oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready",
                    oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"
            """;

        AssertSignatureMatches("POST", new Uri("https://photos.example.net/initiate"), header, PhotosSecret, tokenSecret: null);
    }

    [Fact]
    public void Section_1_2_token_request()
    {
        // RFC 5849 §1.2: the token request, with temporary credentials
        // "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03".
        const string header = """
            OAuth realm="Photos",
                    oauth_consumer_key="dpf43f3p2l4k3l03",
                    oauth_token="hh5s93j4hdidpola",
                    oauth_signature_method="HMAC-SHA1",
                    oauth_timestamp="137131201",
                    oauth_nonce="walatlh",
                    oauth_verifier="hfdp7dh39dks9884",
                    oauth_signature="gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D"
            """;

        AssertSignatureMatches("POST", new Uri("https://photos.example.net/token"), header, PhotosSecret, "hdhd0244k9j7ao03");
    }

    [Fact]
    public void Section_1_2_protected_resource_request()
    {
        // RFC 5849 §1.2: "GET /photos?file=vacation.jpg&size=original HTTP/1.1 / Host: photos.example.net"
        // with token credentials "oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkkdhi9sl3r4s00".
        const string header = """
            OAuth realm="Photos",
                    oauth_consumer_key="dpf43f3p2l4k3l03",
                    oauth_token="nnch734d00sl2jdk",
                    oauth_signature_method="HMAC-SHA1",
                    oauth_timestamp="137131202",
                    oauth_nonce="chapoH",
                    oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"
            """;

        AssertSignatureMatches("GET", new Uri("http://photos.example.net/photos?file=vacation.jpg&size=original"), header, PhotosSecret, "pfkkdhi9sl3r4s00");
    }

    [Fact]
    public void Oauth_core_1_0_appendix_a_5_photos_request_through_the_full_signer()
    {
        // OAuth Core 1.0 (the community specification RFC 5849 documents), Appendix A.5: the same photo
        // request with oauth_version="1.0", nonce "kllo9940pd9333jh", timestamp "1191242096".
        // A.5.1 signature base string and A.5.2 signature "tR3+Ty81lMeYAr/Fid0kMTYa/WM=".
        const string baseString =
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";
        var uri = new Uri("http://photos.example.net/photos?file=vacation.jpg&size=original");
        var credentials = new OAuthCredentials(PhotosKey, PhotosSecret, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", SignatureMethod.HmacSha1, Realm: "http://photos.example.net/");

        var protocol = OAuthRequestSigner.ProtocolParameters(credentials, "kllo9940pd9333jh", 1191242096);
        Assert.Equal(baseString, OAuthSignatureBase.BaseString("GET", uri, OAuthSignatureBase.CollectParameters(uri, protocol, null)));

        var header = OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, credentials, "kllo9940pd9333jh", 1191242096);
        Assert.Equal(
            "OAuth realm=\"http%3A%2F%2Fphotos.example.net%2F\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", "
            + "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1191242096\", oauth_nonce=\"kllo9940pd9333jh\", oauth_version=\"1.0\", "
            + "oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\"",
            header);
    }

    [Fact]
    public void Section_3_5_1_example_header_parses_into_decoded_pairs()
    {
        // RFC 5849 §3.5.1, the example Authorization header.
        const string header = """
            OAuth realm="Example",
                oauth_consumer_key="0685bd9184jfhq22",
                oauth_token="ad180jjd733klru7",
                oauth_signature_method="HMAC-SHA1",
                oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D",
                oauth_timestamp="137131200",
                oauth_nonce="4572616e48616d6d65724c61686176",
                oauth_version="1.0"
            """;

        (string, string)[] expected =
        [
            ("realm", "Example"),
            ("oauth_consumer_key", "0685bd9184jfhq22"),
            ("oauth_token", "ad180jjd733klru7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_signature", "wOJIO9A2W5mFwDgiDvZbTSMK/PY="),
            ("oauth_timestamp", "137131200"),
            ("oauth_nonce", "4572616e48616d6d65724c61686176"),
            ("oauth_version", "1.0"),
        ];
        Assert.Equal(expected, OAuthRequestSigner.ParseAuthorizationHeader(header).Select(p => (p.Key, p.Value)));
    }

    /// <summary>Recomputes the signature of an RFC request from its header and compares it with the RFC's.</summary>
    private static void AssertSignatureMatches(string method, Uri uri, string header, string consumerSecret, string? tokenSecret)
    {
        var parsed = OAuthRequestSigner.ParseAuthorizationHeader(header);
        var expected = parsed.Single(p => p.Key == "oauth_signature").Value;
        var baseString = OAuthSignatureBase.BaseString(method, uri, OAuthSignatureBase.CollectParameters(uri, parsed, null));

        Assert.Equal(expected, OAuthSignature.Sign(SignatureMethod.HmacSha1, baseString, consumerSecret, tokenSecret, null));
        Assert.True(OAuthSignature.Verify(SignatureMethod.HmacSha1, baseString, expected, consumerSecret, tokenSecret, null));
    }

    /// <summary>Joins an RFC figure whose "line breaks are for display purposes only".</summary>
    private static string Unwrap(string figure) => string.Concat(figure.Split('\n').Select(line => line.Trim()));
}
