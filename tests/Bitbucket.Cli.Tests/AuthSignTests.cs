using System.Net;
using System.Net.Http.Headers;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// <c>bb auth sign METHOD URL</c>: the printed header, sent by another client (HttpClient here, as curl
/// would), is accepted by the local provider for exactly that request and refused for any other.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class AuthSignTests(ProviderFixture provider)
{
    [Fact]
    public async Task A_signed_header_is_accepted_by_the_cloud_provider_and_a_tampered_url_is_refused()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var url = provider.ApiUrl + "/2.0/user?fields=username&x=a%20b";

        // No --host: the stored host whose API URL the request goes to signs.
        var signed = await bb.RunAsync("auth", "sign", "GET", url);
        Assert.True(signed.ExitCode == 0, signed.ToString());
        var header = signed.Stdout.Trim();
        Assert.StartsWith("OAuth ", header, StringComparison.Ordinal);
        Assert.Contains("oauth_signature_method=\"HMAC-SHA1\"", header, StringComparison.Ordinal);
        var (token, tokenSecret) = ProviderLogin.StoredToken(bb);
        Assert.Contains($"oauth_token=\"{token}\"", header, StringComparison.Ordinal);
        Assert.DoesNotContain(tokenSecret, signed.Stdout + signed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderFixture.ConsumerSecret, signed.Stdout + signed.Stderr, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, url, header));

        // A fresh header for the tampered URL would work; this one, signed for the other query, must not.
        var again = (await bb.RunAsync("auth", "sign", "GET", url)).Stdout.Trim();
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, url.Replace("x=a%20b", "x=c", StringComparison.Ordinal), again));
    }

    [Fact]
    public async Task With_form_the_fields_are_signed_and_a_different_body_is_refused()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var url = provider.ApiUrl + "/2.0/echo/form";

        var header = await SignAsync(bb, "post", url, "-f", "title=Hello world", "-f", "note=a&b=c", "--form");
        using (var http = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, url))
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
            request.Content = new FormUrlEncodedContent([new("title", "Hello world"), new("note", "a&b=c")]);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains("Hello world", body, StringComparison.Ordinal);
        }

        var other = await SignAsync(bb, "POST", url, "-f", "title=Hello world", "-f", "note=a&b=c", "--form");
        using (var http = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, url))
        {
            request.Headers.TryAddWithoutValidation("Authorization", other);
            request.Content = new FormUrlEncodedContent([new("title", "Goodbye"), new("note", "a&b=c")]);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_url_outside_the_hosts_api_and_oauth_origins_is_refused_with_exit_2()
    {
        using var bb = new BbProcess();
        Assert.Equal(0, (await provider.LoginAsync(bb)).ExitCode);
        var foreign = "http://127.0.0.2:" + new Uri(provider.ApiUrl).Port + "/2.0/user";

        var named = await bb.RunAsync("auth", "sign", "GET", foreign, "--host", "local");
        Assert.Equal(2, named.ExitCode);
        Assert.StartsWith("bb: refusing to sign for http://127.0.0.2:", named.Stderr, StringComparison.Ordinal);
        Assert.Equal("", named.Stdout);

        // Without --host no stored host matches, so the default host would sign: refused the same way.
        var unnamed = await bb.RunAsync("auth", "sign", "GET", foreign);
        Assert.Equal(2, unnamed.ExitCode);
        Assert.Equal("", unnamed.Stdout);
    }

    [Theory]
    [InlineData("GET", "/2.0/user", "-f", "a=1")]
    [InlineData("GET", "not-a-url")]
    [InlineData("G E T", "/2.0/user")]
    public async Task Bad_input_is_a_usage_error(string method, string url, params string[] extra)
    {
        using var bb = new BbProcess();
        var absolute = url.StartsWith('/') ? provider.ApiUrl + url : url;
        var result = await bb.RunAsync(["auth", "sign", method, absolute, "--host", "bitbucket.org", .. extra]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("bb: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Without_a_stored_login_it_asks_for_one_with_exit_4()
    {
        using var bb = new BbProcess();
        var result = await bb.RunAsync("auth", "sign", "GET", "https://api.bitbucket.org/2.0/user");
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("bb auth login", result.Stderr, StringComparison.Ordinal);
    }

    internal static async Task<string> SignAsync(BbProcess bb, params string[] args)
    {
        var result = await bb.RunAsync(["auth", "sign", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Trim();
    }

    internal static async Task<HttpStatusCode> SendAsync(HttpMethod method, string url, string authorization)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>The same against Data Center: RSA-SHA1, the consumer's private key read from its file by bb.</summary>
[Collection(DataCenterProviderCollection.Name)]
public sealed class DataCenterAuthSignTests(DataCenterProviderFixture provider)
{
    [Fact]
    public async Task An_rsa_sha1_header_is_accepted_by_the_data_center_provider_and_a_tampered_url_is_refused()
    {
        using var bb = new BbProcess();
        var login = await ProviderLogin.LoginAsync(bb, provider.ApiUrl, "work", DataCenterProviderFixture.ConsumerKey, consumerSecret: null, "--rsa-key", provider.KeyFile);
        Assert.True(login.ExitCode == 0, login.ToString());
        var url = provider.ApiUrl + "/rest/api/1.0/projects?limit=1";

        var header = await AuthSignTests.SignAsync(bb, "GET", url);
        Assert.Contains("oauth_signature_method=\"RSA-SHA1\"", header, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await AuthSignTests.SendAsync(HttpMethod.Get, url, header));

        var other = await AuthSignTests.SignAsync(bb, "GET", url, "--host", "work");
        Assert.Equal(HttpStatusCode.Unauthorized, await AuthSignTests.SendAsync(HttpMethod.Get, url.Replace("limit=1", "limit=2", StringComparison.Ordinal), other));
    }
}
