using System.Text;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.OAuth.Tests.Interop;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>
/// <see cref="OAuthRequestSigner.CreateAuthorizationHeader"/> signs in one pass over pooled buffers; the
/// step-by-step composition (<see cref="OAuthRequestSigner.CreateAuthorizationHeaderStepwise"/>) is the
/// reference, itself pinned by the RFC vectors and oauthlib. Every header must be byte-identical.
/// </summary>
public sealed class SinglePassSignerTests
{
    private const string Nonce = "kllo9940pd9333jh";
    private const long Timestamp = 1191242096;

    private static readonly OAuthCredentials Hmac = new("dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", SignatureMethod.HmacSha1);

    [Fact]
    public void Generated_requests_sign_exactly_as_the_stepwise_reference()
    {
        var cases = new InteropCaseGenerator(seed: 5849).Generate(4000, "single-pass").ToList();
        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var body = c.IsForm ? c.Body : null;
            var expected = OAuthRequestSigner.CreateAuthorizationHeaderStepwise(c.Method, c.Uri, body, c.Credentials, c.Nonce, c.Timestamp, c.Extra);
            var actual = OAuthRequestSigner.CreateAuthorizationHeader(c.Method, c.Uri, body, c.Credentials, c.Nonce, c.Timestamp, c.Extra);
            if (actual != expected)
            {
                mismatches.Add($"{c.Id} {c.Method} {c.Uri}\n  expected {expected}\n  actual   {actual}");
            }
        }

        Assert.True(cases.Count == 4000 && mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} differ:\n{string.Join('\n', mismatches.Take(5))}");
    }

    public static TheoryData<string, string?> AwkwardRequests() => new()
    {
        // Percent-escapes that decode to invalid UTF-8 (the reference turns them into U+FFFD).
        { "https://example.com/p?a=%FF&b=%C3&c=%E2%82", null },
        { "https://example.com/p?a=%C3%28&%ED%A0%80=1", null },
        // Stray and truncated '%', '+' as space, '=' inside values, empty pairs and names.
        { "https://example.com/p?a=100%&b=%4&c=%zz&d=1+2&e=x=y&&=v&f", null },
        { "https://example.com/p?%", null },
        // Query parameters named like the excluded protocol ones, repeated names and values.
        { "https://example.com/p?realm=r&oauth_signature=s&a=2&a=1&a=1", null },
        // Non-default port, IPv6, IDN host, upper-case scheme, escaped path.
        { "HTTPS://[::1]:8443/a%20b/c?x=%E2%9C%93", null },
        { "http://bücher.example:8080/ü/ö?ä=ü", null },
        // Form bodies, including one long enough to need pooled rather than stack buffers.
        { "https://example.com/form?q=1", "b=2&a=%C3%BC&c=+x+&d=%FF" },
        { "https://example.com/form", "v=" + new string('é', 700) + "&w=" + new string('%', 300) + "&x=" + new string('a', 2000) },
    };

    [Theory]
    [MemberData(nameof(AwkwardRequests))]
    public void Awkward_requests_sign_exactly_as_the_stepwise_reference(string url, string? formBody)
    {
        foreach (var method in new[] { SignatureMethod.HmacSha1, SignatureMethod.HmacSha256, SignatureMethod.Plaintext })
        {
            AssertSame("POST", new Uri(url), formBody, Hmac with { Method = method });
        }
    }

    [Fact]
    public void Many_parameters_are_ordered_like_the_reference()
    {
        // Above the insertion-sort limit, in reverse and with ties broken by value.
        var query = string.Join('&', Enumerable.Range(0, 300).Select(i => $"p{(299 - i) % 37}={i % 7}"));
        AssertSame("GET", new Uri("https://example.com/many?" + query), "z=1&" + query, Hmac);
    }

    [Fact]
    public void Secrets_realms_and_extras_of_every_shape_sign_like_the_reference()
    {
        string[] secrets = ["", "s&=+%/ ", "日本語", "\ud800lone", "lone\udfff", new string('~', 400), new string('ü', 200)];
        foreach (var secret in secrets)
        {
            foreach (var realm in new[] { null, "", "Photos", "ré \"q\"", "\udc00" })
            {
                var credentials = Hmac with { ConsumerSecret = secret, TokenSecret = secret + "t", Realm = realm };
                AssertSame("GET", new Uri("https://example.com/r?a=b"), null, credentials);
                AssertSame("GET", new Uri("https://example.com/r"), null, credentials with { Method = SignatureMethod.Plaintext });
                AssertSame("GET", new Uri("https://example.com/r"), null, credentials with { Token = null, TokenSecret = null });
            }
        }

        AssertSame("POST", new Uri("https://example.com/request_token"), null, Hmac with { Token = null, TokenSecret = null }, [new("oauth_callback", "http://127.0.0.1:1/cb?x=a b")]);
        AssertSame("POST", new Uri("https://example.com/access_token"), null, Hmac, [new("oauth_verifier", "v\ud800 ü")]);
        AssertSame("get", new Uri("https://example.com/"), null, Hmac with { ConsumerKey = "k\ud83d\ude00 &" });
    }

    [Fact]
    public void Rsa_sha1_signs_like_the_reference()
    {
        using var key = TestKeys.CheckedIn();
        AssertSame("GET", new Uri("https://jira.example.com/rest/api/2/issue/X-1?expand=names"), null,
            new OAuthCredentials("jira", "", "tok", "", SignatureMethod.RsaSha1, key, "Jira"));
    }

    [Fact]
    public void Changing_the_key_between_signatures_changes_the_signature()
    {
        // The writer reuses one keyed HMAC per thread while the key is the same: it must notice a new key
        // and a new method, and alternating between them must give the reference's answers every time.
        var uri = new Uri("https://example.com/alternate?x=1");
        var other = Hmac with { TokenSecret = "another-secret" };
        var sha256 = Hmac with { Method = SignatureMethod.HmacSha256 };
        var seen = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            foreach (var credentials in new[] { Hmac, other, sha256, Hmac with { ConsumerSecret = "" } })
            {
                seen.Add(AssertSame("GET", uri, null, credentials));
            }
        }

        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public async Task Threads_signing_with_different_keys_do_not_share_state()
    {
        var uri = new Uri("https://example.com/threads?q=1");
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var credentials = Hmac with { TokenSecret = "secret-" + t };
            var expected = OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", uri, null, credentials, Nonce, Timestamp);
            for (var i = 0; i < 2000; i++)
            {
                var actual = OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, credentials, Nonce, Timestamp);
                if (actual != expected)
                {
                    return false;
                }
            }

            return true;
        }));

        Assert.All(await Task.WhenAll(tasks), Assert.True);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_references_exceptions()
    {
        var uri = new Uri("https://example.com/");
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", new Uri("/relative", UriKind.Relative), null, Hmac, Nonce, Timestamp),
            () => OAuthRequestSigner.CreateAuthorizationHeader("GET", new Uri("/relative", UriKind.Relative), null, Hmac, Nonce, Timestamp));
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("", uri, null, Hmac, Nonce, Timestamp),
            () => OAuthRequestSigner.CreateAuthorizationHeader("", uri, null, Hmac, Nonce, Timestamp));
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", uri, null, Hmac, "", Timestamp),
            () => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac, "", Timestamp));
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", uri, null, Hmac, Nonce, 0),
            () => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac, Nonce, 0));
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", uri, null, Hmac with { ConsumerKey = "" }, Nonce, Timestamp),
            () => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac with { ConsumerKey = "" }, Nonce, Timestamp));
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", uri, null, Hmac with { Method = SignatureMethod.RsaSha1 }, Nonce, Timestamp),
            () => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac with { Method = SignatureMethod.RsaSha1 }, Nonce, Timestamp));
        AssertSameException(() => OAuthRequestSigner.CreateAuthorizationHeaderStepwise("GET", uri, null, Hmac, Nonce, Timestamp, [new("oauth_signature", "x")]),
            () => OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac, Nonce, Timestamp, [new("oauth_signature", "x")]));
    }

    [Fact]
    public void A_signature_allocates_little_more_than_the_header()
    {
        // docs/benchmarks.md: at most 1 KB per signature. Allocation is counted, not timed, so this is exact.
        var uri = new Uri("https://api.bitbucket.org/2.0/repositories/alice/demo/refs/branches?q=name+~+%22feature%22&pagelen=100");
        var header = OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac, Nonce, Timestamp); // warm: caches, pools
        var before = GC.GetAllocatedBytesForCurrentThread();
        header = OAuthRequestSigner.CreateAuthorizationHeader("GET", uri, null, Hmac, Nonce, Timestamp);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var headerBytes = 22 + (2 * header.Length); // string object header + UTF-16 chars
        Assert.True(allocated <= 1024, $"{allocated} bytes allocated for one signature (the header alone is {headerBytes})");
    }

    private static string AssertSame(string method, Uri uri, string? formBody, OAuthCredentials credentials, KeyValuePair<string, string>[]? extra = null)
    {
        var expected = OAuthRequestSigner.CreateAuthorizationHeaderStepwise(method, uri, formBody, credentials, Nonce, Timestamp, extra);
        var actual = OAuthRequestSigner.CreateAuthorizationHeader(method, uri, formBody, credentials, Nonce, Timestamp, extra);
        Assert.Equal(expected, actual);
        return actual;
    }

    private static void AssertSameException(Action reference, Action singlePass)
    {
        var expected = Record.Exception(reference);
        var actual = Record.Exception(singlePass);
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public void The_reference_itself_still_matches_rfc_5849_section_1_2()
    {
        // Guards the comparison: if the stepwise path were broken both ways, the tests above would agree on nonsense.
        var credentials = new OAuthCredentials("dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", SignatureMethod.HmacSha1);
        var header = OAuthRequestSigner.CreateAuthorizationHeader("GET", new Uri("http://photos.example.net/photos?file=vacation.jpg&size=original"), null, credentials, Nonce, Timestamp);
        Assert.Contains("oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\"", header, StringComparison.Ordinal);
        Assert.Equal(Encoding.ASCII.GetByteCount(header), header.Length);
    }
}
