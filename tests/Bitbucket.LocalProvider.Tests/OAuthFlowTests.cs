using System.Net;
using System.Text.Json.Nodes;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.LocalProvider.Tests;

public sealed class OAuthFlowTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private TestClient Client => fixture.Client;

    [Theory]
    [InlineData(SignatureMethod.HmacSha1)]
    [InlineData(SignatureMethod.HmacSha256)]
    [InlineData(SignatureMethod.Plaintext)]
    public async Task Three_legged_flow_over_http_reaches_the_user(SignatureMethod method)
    {
        var consumer = TestClient.DemoConsumer with { Method = method };

        // §2.1 request token
        var requestToken = await Client.RequestTokenAsync(consumer);

        // §2.2 the approve page names the application and the user, then Approve redirects to the callback
        var page = await Client.Http.GetStringAsync($"/api/1.0/oauth/authenticate?oauth_token={requestToken.Token}");
        Assert.Contains("bb (local demo)", page);
        Assert.Contains("alice", page);
        Assert.Contains(">Approve</button>", page);
        Assert.Contains(">Deny</button>", page);
        var location = await Client.DecideAsync(requestToken.Token!);
        Assert.StartsWith(TestClient.Callback + "&oauth_token=" + requestToken.Token + "&oauth_verifier=", location.AbsoluteUri);
        var verifier = TestClient.QueryValue(location, "oauth_verifier");

        // §2.3 access token
        using var tokenResponse = await Client.AccessTokenResponseAsync(requestToken, verifier);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var (token, secret, _) = OAuthTokenResponse.Parse(await tokenResponse.Content.ReadAsStringAsync());
        Assert.NotEqual(requestToken.Token, token);

        // §3 a protected resource
        var user = await Client.GetJsonAsync("/2.0/user", consumer with { Token = token, TokenSecret = secret });
        Assert.Equal("user", user["type"]!.GetValue<string>());
        Assert.Equal("alice", user["username"]!.GetValue<string>());
        Assert.Equal("Alice", user["display_name"]!.GetValue<string>());
        Assert.StartsWith("{", user["uuid"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(user["account_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Rsa_sha1_flow_is_verified_with_the_configured_public_key()
    {
        var alice = await Client.LoginAsync(TestProvider.RsaConsumer);
        var user = await Client.GetJsonAsync("/2.0/user", alice);
        Assert.Equal("alice", user["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rsa_sha1_is_refused_for_a_consumer_without_a_public_key()
    {
        var consumer = TestClient.DemoConsumer with { Method = SignatureMethod.RsaSha1, PrivateKey = TestProvider.RsaKey };
        using var response = await Client.SendAsync(HttpMethod.Post, "/api/1.0/oauth/request_token", consumer, extra: [new("oauth_callback", "oob")]);
        await AssertRefusedAsync(response, "OAuth: RSA-SHA1 is not enabled for this consumer (start the provider with --rsa-public-key)");
    }

    [Fact]
    public async Task The_signing_handler_of_the_tool_is_accepted()
    {
        using var http = new HttpClient(new OAuthSigningHandler(() => fixture.Alice, TimeProvider.System, new RandomNonceSource())
        {
            InnerHandler = new SocketsHttpHandler(),
        })
        { BaseAddress = fixture.Provider.BaseUri };

        var user = JsonNode.Parse(await http.GetStringAsync("/2.0/user"))!;
        Assert.Equal("alice", user["username"]!.GetValue<string>());

        using var echo = await http.PostAsync("/2.0/echo/form", new FormUrlEncodedContent([new("title", "a b*c"), new("x", "✓")]));
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
    }

    [Fact]
    public async Task Bad_signature_is_refused()
    {
        var header = Client.Sign(HttpMethod.Get, "/2.0/user", fixture.Alice);
        var tampered = System.Text.RegularExpressions.Regex.Replace(header, "oauth_signature=\"[^\"]*\"", "oauth_signature=\"AAAA\"");
        using var response = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user", tampered);
        await AssertRefusedAsync(response, "OAuth: signature invalid");
    }

    [Fact]
    public async Task Signature_over_a_different_path_is_refused()
    {
        var header = Client.Sign(HttpMethod.Get, "/2.0/workspaces", fixture.Alice);
        using var response = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user", header);
        await AssertRefusedAsync(response, "OAuth: signature invalid");
    }

    [Fact]
    public async Task Wrong_consumer_secret_is_refused()
    {
        using var response = await Client.GetAsync("/2.0/user", fixture.Alice with { ConsumerSecret = "not-the-secret" });
        await AssertRefusedAsync(response, "OAuth: signature invalid");
    }

    [Fact]
    public async Task Wrong_token_secret_is_refused()
    {
        using var response = await Client.GetAsync("/2.0/user", fixture.Alice with { TokenSecret = "not-the-secret" });
        await AssertRefusedAsync(response, "OAuth: signature invalid");
    }

    [Fact]
    public async Task Replayed_nonce_is_refused()
    {
        var nonce = TestClient.NewNonce();
        var timestamp = TestClient.Now;
        using (var first = await Client.SendAsync(HttpMethod.Get, "/2.0/user", fixture.Alice, nonce: nonce, timestamp: timestamp))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await Client.SendAsync(HttpMethod.Get, "/2.0/user", fixture.Alice, nonce: nonce, timestamp: timestamp);
        await AssertRefusedAsync(second, "OAuth: nonce already used");
    }

    [Fact]
    public async Task The_same_nonce_with_another_timestamp_is_accepted()
    {
        var nonce = TestClient.NewNonce();
        using (var first = await Client.SendAsync(HttpMethod.Get, "/2.0/user", fixture.Alice, nonce: nonce, timestamp: TestClient.Now - 10))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await Client.SendAsync(HttpMethod.Get, "/2.0/user", fixture.Alice, nonce: nonce, timestamp: TestClient.Now - 20);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Theory]
    [InlineData(-1000)]
    [InlineData(1000)]
    public async Task Timestamp_outside_the_window_is_refused(int offset)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "/2.0/user", fixture.Alice, timestamp: TestClient.Now + offset);
        await AssertRefusedAsync(response, "OAuth: timestamp is more than 300 seconds from the server's clock");
    }

    [Fact]
    public async Task Unknown_consumer_is_refused()
    {
        using var response = await Client.GetAsync("/2.0/user", fixture.Alice with { ConsumerKey = "nobody" });
        await AssertRefusedAsync(response, "OAuth: unknown consumer key");
    }

    [Fact]
    public async Task Request_without_credentials_is_refused()
    {
        using var response = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user", null);
        await AssertRefusedAsync(response, "OAuth: missing OAuth credentials");
    }

    [Fact]
    public async Task Wrong_verifier_is_refused()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer);
        await Client.DecideAsync(requestToken.Token!);
        using var response = await Client.AccessTokenResponseAsync(requestToken, "not-the-verifier");
        await AssertRefusedAsync(response, "OAuth: invalid verifier");
    }

    [Fact]
    public async Task Unapproved_request_token_is_refused()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer);
        using var response = await Client.AccessTokenResponseAsync(requestToken, "anything");
        await AssertRefusedAsync(response, "OAuth: the request token has not been approved");
    }

    [Fact]
    public async Task Request_token_cannot_be_used_as_an_access_token()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer);
        await Client.DecideAsync(requestToken.Token!);
        using var response = await Client.GetAsync("/2.0/user", requestToken);
        await AssertRefusedAsync(response, "OAuth: a request token cannot be used as an access token");
    }

    [Fact]
    public async Task Request_token_is_exchanged_only_once()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer);
        var verifier = TestClient.QueryValue(await Client.DecideAsync(requestToken.Token!), "oauth_verifier");
        using (var first = await Client.AccessTokenResponseAsync(requestToken, verifier))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await Client.AccessTokenResponseAsync(requestToken, verifier);
        await AssertRefusedAsync(second, "OAuth: invalid or expired request token");
    }

    [Fact]
    public async Task Access_token_cannot_be_exchanged_again()
    {
        using var response = await Client.AccessTokenResponseAsync(fixture.Alice, "whatever");
        await AssertRefusedAsync(response, "OAuth: an access token cannot be exchanged for an access token");
    }

    [Fact]
    public async Task Access_token_of_another_consumer_is_refused()
    {
        // alice's token was issued to bb-local; another consumer signing with it (and its secret) is refused.
        var stolen = TestClient.OtherConsumer with { Token = fixture.Alice.Token, TokenSecret = fixture.Alice.TokenSecret };
        using var response = await Client.GetAsync("/2.0/user", stolen);
        await AssertRefusedAsync(response, "OAuth: token was issued to another consumer");

        // The other consumer's own token works.
        var own = await Client.LoginAsync(TestClient.OtherConsumer);
        using var ok = await Client.GetAsync("/2.0/user", own);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Request_token_of_another_consumer_is_refused()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer);
        var verifier = TestClient.QueryValue(await Client.DecideAsync(requestToken.Token!), "oauth_verifier");
        var stolen = TestClient.OtherConsumer with { Token = requestToken.Token, TokenSecret = requestToken.TokenSecret };
        using var response = await Client.AccessTokenResponseAsync(stolen, verifier);
        await AssertRefusedAsync(response, "OAuth: token was issued to another consumer");
    }

    [Fact]
    public async Task Request_token_needs_a_callback()
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/api/1.0/oauth/request_token", TestClient.DemoConsumer);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (message, _) = await TestProvider.ErrorAsync(response);
        Assert.Equal("OAuth: oauth_callback is required (an absolute http(s) URL or oob)", message);
    }

    [Fact]
    public async Task Get_is_accepted_for_request_and_access_tokens()
    {
        using var request = await Client.SendAsync(HttpMethod.Get, "/api/1.0/oauth/request_token", TestClient.DemoConsumer, extra: [new("oauth_callback", TestClient.Callback)]);
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        var (token, secret, _) = OAuthTokenResponse.Parse(await request.Content.ReadAsStringAsync());
        var verifier = TestClient.QueryValue(await Client.DecideAsync(token), "oauth_verifier");
        using var access = await Client.SendAsync(
            HttpMethod.Get, "/api/1.0/oauth/access_token", TestClient.DemoConsumer with { Token = token, TokenSecret = secret }, extra: [new("oauth_verifier", verifier)]);
        Assert.Equal(HttpStatusCode.OK, access.StatusCode);
    }

    [Fact]
    public async Task Seed_paths_without_the_api_prefix_work_too()
    {
        using var response = await Client.SendAsync(HttpMethod.Post, "/1.0/oauth/request_token", TestClient.DemoConsumer, extra: [new("oauth_callback", "oob")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Deny_redirects_without_a_verifier_and_the_exchange_is_refused()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer);
        var location = await Client.DecideAsync(requestToken.Token!, "deny");
        Assert.Equal(requestToken.Token, TestClient.QueryValue(location, "denied"));
        Assert.DoesNotContain("oauth_verifier", location.Query);

        using var response = await Client.AccessTokenResponseAsync(requestToken, "x");
        await AssertRefusedAsync(response, "OAuth: the user denied access");
    }

    [Fact]
    public async Task Out_of_band_shows_a_pin_that_works_as_verifier()
    {
        var requestToken = await Client.RequestTokenAsync(TestClient.DemoConsumer, "oob");
        using var approve = await Client.Http.PostAsync(
            "/api/1.0/oauth/authenticate", new FormUrlEncodedContent([new("oauth_token", requestToken.Token!), new("action", "approve")]));
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var page = await approve.Content.ReadAsStringAsync();
        var pin = System.Text.RegularExpressions.Regex.Match(page, "<code id=\"verifier\">([0-9]+)</code>").Groups[1].Value;
        Assert.Equal(7, pin.Length);

        using var response = await Client.AccessTokenResponseAsync(requestToken, pin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Approve_page_for_an_unknown_token_is_404()
    {
        using var response = await Client.Http.GetAsync("/api/1.0/oauth/authenticate?oauth_token=nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Protocol_parameters_in_the_query_are_accepted()
    {
        // RFC 5849 §3.5.3: the same parameters, moved from the header into the query.
        var header = Client.Sign(HttpMethod.Get, "/2.0/user", fixture.Alice);
        var query = OAuthEncoding.FormEncode(OAuthRequestSigner.ParseAuthorizationHeader(header));
        using var response = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user?" + query, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Protocol_parameters_in_the_form_body_are_accepted()
    {
        // RFC 5849 §3.5.2: the same parameters, moved from the header into the form body.
        var header = Client.Sign(HttpMethod.Post, "/2.0/echo/form", fixture.Alice, formBody: "a=1");
        var body = "a=1&" + OAuthEncoding.FormEncode(OAuthRequestSigner.ParseAuthorizationHeader(header));
        using var response = await Client.SendWithHeaderAsync(
            HttpMethod.Post, "/2.0/echo/form", null, new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("""{"a":["1"]}""", json["form"]!.ToJsonString());
    }

    [Fact]
    public async Task A_protocol_parameter_sent_twice_is_a_bad_request()
    {
        var header = Client.Sign(HttpMethod.Get, "/2.0/user", fixture.Alice);
        using var response = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user?oauth_consumer_key=bb-local", header);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (message, _) = await TestProvider.ErrorAsync(response);
        Assert.Equal("OAuth: duplicate parameter oauth_consumer_key", message);
    }

    [Fact]
    public async Task A_malformed_header_is_a_bad_request()
    {
        using var response = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/user", "OAuth oauth_consumer_key=\"bb-local");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Auto_approve_page_submits_itself_and_is_a_plain_form_without_javascript()
    {
        await using var provider = await TestProvider.StartAsync(o => o with { AutoApprove = true });
        using var client = new TestClient(provider.BaseUri);
        var requestToken = await client.RequestTokenAsync(TestClient.DemoConsumer);
        var page = await client.Http.GetStringAsync($"/api/1.0/oauth/authenticate?oauth_token={requestToken.Token}");
        Assert.Contains("<script>document.getElementById(\"approve\").submit();</script>", page);
        Assert.Contains("<button class=\"approve\" type=\"submit\">Approve</button></form>", page);
        Assert.DoesNotContain("<noscript>", page);
        Assert.Contains("name=\"action\" value=\"approve\"", page);
        Assert.DoesNotContain("value=\"deny\"", page);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string message)
    {
        var (actual, _) = await TestProvider.ErrorAsync(response);
        Assert.Equal(message, actual);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("OAuth", challenge.Scheme);
        Assert.StartsWith("realm=\"http://127.0.0.1:", challenge.Parameter);
    }
}
