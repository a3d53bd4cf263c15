using System.Net;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Tests;

/// <summary>Each flavour serves only its own routes; Data Center's live under the context path.</summary>
public sealed class DataCenterRoutingTests
{
    [Theory]
    [InlineData("/bitbucket/rest/api/1.0/application-properties", HttpStatusCode.OK)]
    [InlineData("/rest/api/1.0/application-properties", HttpStatusCode.NotFound)]
    [InlineData("/2.0/user", HttpStatusCode.NotFound)]
    [InlineData("/bitbucket/2.0/user", HttpStatusCode.NotFound)]
    [InlineData("/api/1.0/oauth/authenticate?oauth_token=x", HttpStatusCode.NotFound)]
    [InlineData("/plugins/servlet/applinks/whoami", HttpStatusCode.NotFound)]
    [InlineData("/bitbucket/plugins/servlet/applinks/whoami", HttpStatusCode.Unauthorized)]
    public async Task Data_center_routes_live_under_the_context_path_and_cloud_routes_are_absent(string path, HttpStatusCode expected)
    {
        await using var provider = await LocalProviderServer.StartAsync(DataCenter.Options(), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = provider.BaseUri };
        using var response = await http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            DataCenter.SingleError(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
    }

    [Fact]
    public async Task Without_a_context_path_data_center_routes_are_at_the_root()
    {
        await using var provider = await LocalProviderServer.StartAsync(DataCenter.Options(contextPath: ""), CancellationToken.None);
        using var client = new TestClient(provider.BaseUri);
        var properties = JsonNode.Parse(await client.Http.GetStringAsync("/rest/api/latest/application-properties"))!;
        Assert.Equal("9.2.0", properties["version"]!.GetValue<string>());

        using var requestToken = await client.SendAsync(HttpMethod.Post, "/plugins/servlet/oauth/request-token", DataCenter.Consumer, extra: [new("oauth_callback", "oob")]);
        Assert.Equal(HttpStatusCode.OK, requestToken.StatusCode);
    }

    [Theory]
    [InlineData("/rest/api/1.0/application-properties")]
    [InlineData("/plugins/servlet/applinks/whoami")]
    [InlineData("/plugins/servlet/oauth/authorize?oauth_token=x")]
    public async Task A_cloud_provider_does_not_answer_data_center_routes(string path)
    {
        await using var provider = await LocalProviderServer.StartAsync(new LocalProviderOptions(), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = provider.BaseUri };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ProviderFlavor.Cloud, "/bitbucket", "needs the datacenter flavor")]
    [InlineData(ProviderFlavor.DataCenter, "bitbucket", "must look like /name")]
    [InlineData(ProviderFlavor.DataCenter, "/bitbucket/", "must look like /name")]
    [InlineData(ProviderFlavor.DataCenter, "/a b", "must look like /name")]
    public async Task A_bad_context_path_is_refused(ProviderFlavor flavor, string contextPath, string message)
    {
        var options = DataCenter.Options() with { Flavor = flavor, ContextPath = contextPath };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => LocalProviderServer.StartAsync(options, CancellationToken.None));
        Assert.Contains(message, e.Message);
    }
}
