using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.LocalProvider.Tests;

public sealed class DataCenterOAuthTests(DataCenterFixture fixture) : IClassFixture<DataCenterFixture>
{
    private TestClient Client => fixture.Client;

    [Fact]
    public async Task Rsa_sha1_three_legged_flow_at_the_servlet_paths_reaches_whoami()
    {
        var requestToken = await DataCenter.RequestTokenAsync(Client, DataCenter.Consumer);

        var page = await Client.Http.GetStringAsync($"{DataCenter.Servlet}/authorize?oauth_token={requestToken.Token}");
        Assert.Contains("bb (Data Center test)", page);
        Assert.Contains($"action=\"{DataCenter.Servlet}/authorize\"", page);
        Assert.DoesNotContain("<script>", page);

        using var approved = await DataCenter.ApproveAsync(Client, requestToken.Token!);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var location = approved.Headers.Location!;
        Assert.StartsWith(TestClient.Callback + "&oauth_token=" + requestToken.Token + "&oauth_verifier=", location.AbsoluteUri);

        var alice = await DataCenter.AccessTokenAsync(Client, requestToken, TestClient.QueryValue(location, "oauth_verifier"));
        Assert.NotEqual(requestToken.Token, alice.Token);

        using var whoami = await Client.GetAsync(DataCenter.ContextPath + "/plugins/servlet/applinks/whoami", alice);
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        Assert.Equal("text/plain", whoami.Content.Headers.ContentType?.MediaType);
        Assert.Equal("alice", await whoami.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Out_of_band_login_shows_a_pin_that_completes_the_flow()
    {
        var requestToken = await DataCenter.RequestTokenAsync(Client, DataCenter.Consumer, "oob");
        using var approved = await DataCenter.ApproveAsync(Client, requestToken.Token!);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var pin = Regex.Match(await approved.Content.ReadAsStringAsync(), "<code id=\"verifier\">(\\d{7})</code>");
        Assert.True(pin.Success);

        var alice = await DataCenter.AccessTokenAsync(Client, requestToken, pin.Groups[1].Value);
        var project = await Client.GetJsonAsync(DataCenter.Api + "/projects/PROJ", alice);
        Assert.Equal("PROJ", project["key"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(SignatureMethod.HmacSha1)]
    [InlineData(SignatureMethod.HmacSha256)]
    [InlineData(SignatureMethod.Plaintext)]
    public async Task A_shared_secret_signature_from_the_rsa_consumer_is_refused_with_signature_method_rejected(SignatureMethod method)
    {
        var consumer = DataCenter.Consumer with { ConsumerSecret = "unused", Method = method, PrivateKey = null };
        using var response = await Client.SendAsync(HttpMethod.Post, DataCenter.Servlet + "/request-token", consumer, extra: [new("oauth_callback", "oob")]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("oauth_problem=\"signature_method_rejected\"", response.Headers.WwwAuthenticate.ToString());
        var body = OAuthEncoding.ParseQueryOrForm(await response.Content.ReadAsStringAsync());
        Assert.Equal("signature_method_rejected", body.Single(p => p.Key == "oauth_problem").Value);
    }

    [Fact]
    public async Task An_hmac_signed_api_call_with_a_valid_token_is_refused_too()
    {
        var hmac = fixture.Alice with { ConsumerSecret = "unused", Method = SignatureMethod.HmacSha1, PrivateKey = null };
        var (status, body) = await DataCenter.SendJsonAsync(Client, HttpMethod.Get, DataCenter.Api + "/projects", hmac);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("RSA-SHA1", DataCenter.SingleError(body)["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_rsa_signature_is_refused_with_signature_invalid()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        using var response = await Client.SendAsync(HttpMethod.Post, DataCenter.Servlet + "/request-token", DataCenter.Consumer with { PrivateKey = other }, extra: [new("oauth_callback", "oob")]);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("oauth_problem=signature_invalid", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Whoami_without_credentials_is_401()
    {
        using var response = await Client.Http.GetAsync(DataCenter.ContextPath + "/plugins/servlet/applinks/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("alice", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_without_credentials_is_401_with_a_data_center_error_body()
    {
        using var response = await Client.Http.GetAsync(DataCenter.Api + "/projects");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("OAuth realm=", response.Headers.WwwAuthenticate.ToString());
        DataCenter.SingleError(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_data_center_provider_needs_an_rsa_key_for_its_consumers()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => LocalProviderServer.StartAsync(
            new LocalProviderOptions { Flavor = ProviderFlavor.DataCenter }, CancellationToken.None));
        Assert.Contains("RSA-SHA1", e.Message);
    }

    [Fact]
    public async Task A_key_pair_made_at_start_up_writes_a_0600_private_key_that_logs_in()
    {
        var directory = Directory.CreateTempSubdirectory("bb-provider-dc-");
        try
        {
            var keyFile = Path.Combine(directory.FullName, "consumer.pem");
            await using var provider = await LocalProviderServer.StartAsync(
                new LocalProviderOptions { Flavor = ProviderFlavor.DataCenter, RsaPrivateKeyOut = keyFile }, CancellationToken.None);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            using var key = RsaKeys.LoadPrivateKeyPem(keyFile);
            using var client = new TestClient(provider.BaseUri);
            var consumer = new OAuthCredentials(LocalConsumer.Default.Key, "", null, null, SignatureMethod.RsaSha1, key);
            using var requestToken = await client.SendAsync(HttpMethod.Post, "/plugins/servlet/oauth/request-token", consumer, extra: [new("oauth_callback", "oob")]);
            Assert.Equal(HttpStatusCode.OK, requestToken.StatusCode);

            // Signed with any other key, the same request is refused: the provider verifies with the pair it made.
            using var other = System.Security.Cryptography.RSA.Create(2048);
            using var refused = await client.SendAsync(HttpMethod.Post, "/plugins/servlet/oauth/request-token", consumer with { PrivateKey = other }, extra: [new("oauth_callback", "oob")]);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
