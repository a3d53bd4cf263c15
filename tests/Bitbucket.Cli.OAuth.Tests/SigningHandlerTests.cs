using System.Net;
using System.Text;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

public sealed class SigningHandlerTests
{
    private static readonly OAuthCredentials Credentials = new("consumer", "consumer secret", "token", "token&secret", SignatureMethod.HmacSha1);

    private static (HttpClient Client, CapturingHandler Inner, ManualTimeProvider Clock) Create(
        OAuthCredentials? credentials, params HttpStatusCode[] statuses)
    {
        var inner = new CapturingHandler(statuses);
        var clock = ManualTimeProvider.AtUnixSeconds(1700000000);
        var signer = new OAuthSigningHandler(() => credentials, clock, new SequenceNonceSource("nonceA", "nonceB")) { InnerHandler = inner };
        return (new HttpClient(signer), inner, clock);
    }

    [Fact]
    public async Task Injected_clock_and_nonce_give_an_exact_header()
    {
        var (client, inner, _) = Create(Credentials);

        await client.GetAsync(new Uri("https://api.bitbucket.org/2.0/repositories/ws/repo?page=2&q=name%20~%20%22a%2Ab%22"));

        // The signature "LuL+0+1OKnFC64SNa8y9bmaIfeU=" was computed independently with oauthlib 3.2.2
        // (signature.collect_parameters / normalize_parameters / base_string_uri / sign_hmac_sha1).
        Assert.Equal(
            "OAuth oauth_consumer_key=\"consumer\", oauth_token=\"token\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", "
            + "oauth_nonce=\"nonceA\", oauth_version=\"1.0\", oauth_signature=\"LuL%2B0%2B1OKnFC64SNa8y9bmaIfeU%3D\"",
            inner.Requests.Single().Authorization);
    }

    [Fact]
    public async Task Every_send_is_signed_afresh_so_an_outer_retry_never_replays_a_header()
    {
        var inner = new CapturingHandler(HttpStatusCode.ServiceUnavailable);
        var clock = ManualTimeProvider.AtUnixSeconds(1700000000);
        var signer = new OAuthSigningHandler(() => Credentials, clock, new SequenceNonceSource("nonceA", "nonceB")) { InnerHandler = inner };
        var retry = new RetryOnceHandler(() => clock.Now += TimeSpan.FromSeconds(2)) { InnerHandler = signer };
        using var client = new HttpClient(retry);

        var response = await client.PostAsync(new Uri("https://example.com/api?x=1"), new FormUrlEncodedContent([new("a", "b c")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Requests.Count);
        var (first, second) = (inner.Requests[0], inner.Requests[1]);
        Assert.NotEqual(first.Authorization, second.Authorization);
        Assert.Equal(("nonceA", "1700000000"), (SelfCheck.Param(first, "oauth_nonce"), SelfCheck.Param(first, "oauth_timestamp")));
        Assert.Equal(("nonceB", "1700000002"), (SelfCheck.Param(second, "oauth_nonce"), SelfCheck.Param(second, "oauth_timestamp")));
        Assert.True(SelfCheck.Verify(first, Credentials));
        Assert.True(SelfCheck.Verify(second, Credentials));
        Assert.Equal("a=b+c", second.Body); // the body survived being read for signing, twice
    }

    [Fact]
    public async Task Form_body_is_signed_and_still_sent()
    {
        var (client, inner, _) = Create(Credentials);

        await client.PostAsync(new Uri("https://example.com/form"), new FormUrlEncodedContent([new("title", "a+b & c"), new("flag", ""), new("title", "ü")]));

        var request = inner.Requests.Single();
        Assert.Equal("title=a%2Bb+%26+c&flag=&title=%C3%BC", request.Body);
        Assert.True(SelfCheck.Verify(request, Credentials));
        Assert.False(SelfCheck.Verify(request, Credentials, signBody: false));
    }

    [Fact]
    public async Task Form_body_from_a_non_seekable_stream_is_still_readable_after_signing()
    {
        var (client, inner, _) = Create(Credentials);
        var content = new StreamContent(new NonSeekableStream(Encoding.ASCII.GetBytes("a=1&b=%2A")));
        content.Headers.ContentType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };

        await client.PutAsync(new Uri("https://example.com/form"), content);

        var request = inner.Requests.Single();
        Assert.Equal("a=1&b=%2A", request.Body);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.ContentType);
        Assert.True(SelfCheck.Verify(request, Credentials));
    }

    [Fact]
    public async Task Json_body_is_not_signed()
    {
        var (client, inner, _) = Create(Credentials);

        await client.PostAsync(new Uri("https://example.com/json?a=1"), new StringContent("a=2&b=3", Encoding.UTF8, "application/json"));

        var request = inner.Requests.Single();
        Assert.True(SelfCheck.Verify(request, Credentials));
        Assert.True(SelfCheck.Verify(request with { ContentType = "application/x-www-form-urlencoded" }, Credentials, signBody: false));
        Assert.False(SelfCheck.Verify(request with { ContentType = "application/x-www-form-urlencoded" }, Credentials));
    }

    [Fact]
    public async Task Query_with_repeated_keys_empty_values_and_flags_is_signed()
    {
        var (client, inner, _) = Create(Credentials);

        await client.GetAsync(new Uri("https://example.com/q?a=2&a=1&a=1&b=&flag&c=x+y%2Bz&&d=%7e*"));

        var request = inner.Requests.Single();
        Assert.True(SelfCheck.Verify(request, Credentials));
        var parameters = OAuthSignatureBase.CollectParameters(request.Uri, [], null);
        Assert.Equal(
            "a=1&a=1&a=2&b=&c=x%20y%2Bz&d=~%2A&flag=",
            OAuthSignatureBase.NormalizeParameters(parameters));
    }

    [Fact]
    public async Task Existing_authorization_header_is_overwritten()
    {
        var (client, inner, _) = Create(Credentials);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/");
        request.Headers.Authorization = new("Basic", "dXNlcjpwYXNz");

        await client.SendAsync(request);

        Assert.StartsWith("OAuth ", inner.Requests.Single().Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_credentials_send_the_request_unsigned_and_untouched()
    {
        var (client, inner, _) = Create(credentials: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.com/");
        request.Headers.Authorization = new("Bearer", "app-token");

        await client.SendAsync(request);

        Assert.Equal("Bearer app-token", inner.Requests.Single().Authorization);
    }

    [Fact]
    public void Synchronous_send_is_signed_too()
    {
        var (client, inner, _) = Create(Credentials);

        client.Send(new HttpRequestMessage(HttpMethod.Post, "https://example.com/s") { Content = new FormUrlEncodedContent([new("k", "v")]) });

        Assert.True(SelfCheck.Verify(inner.Requests.Single(), Credentials));
    }

    [Fact]
    public async Task Relative_request_uri_is_a_clear_error()
    {
        var inner = new CapturingHandler();
        using var invoker = new HttpMessageInvoker(new OAuthSigningHandler(() => Credentials, TimeProvider.System, new RandomNonceSource()) { InnerHandler = inner });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/x", UriKind.Relative)), CancellationToken.None));
        Assert.Contains("absolute request URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_nonces_are_32_letters_or_digits_and_differ()
    {
        var source = new RandomNonceSource();
        var nonces = Enumerable.Range(0, 100).Select(_ => source.NextNonce()).ToList();

        Assert.All(nonces, n => Assert.Matches("^[A-Za-z0-9]{32}$", n));
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    /// <summary>Stands in for a resilience pipeline placed outside the signer: re-sends the same message once on 5xx.</summary>
    private sealed class RetryOnceHandler(Action beforeRetry) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode < 500)
            {
                return response;
            }

            response.Dispose();
            beforeRetry();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
