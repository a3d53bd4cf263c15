using System.Text;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Tests.Runtime;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// The rule that recognises a new host: a JSON object with a string <c>version</c> at the probe
/// endpoint is Data Center; anything else — HTML, a 404, a timeout, a redirect to another origin — is Cloud.
/// </summary>
public sealed class DataCenterDetectionTests
{
    private const string Properties = """{"version":"9.2.0","buildNumber":"9002000","displayName":"Bitbucket"}""";

    [Theory]
    [InlineData(Properties, "9.2.0")]
    [InlineData("""{"version":"8.19.1"}""", "8.19.1")]
    [InlineData("""{"version":9}""", null)]
    [InlineData("""["version","9.2.0"]""", null)]
    [InlineData("""{"type":"error","error":{"message":"Resource not found"}}""", null)]
    [InlineData("<!DOCTYPE html><html><body>{\"version\":\"1\"}</body></html>", null)]
    [InlineData("", null)]
    public void Only_a_json_object_with_a_string_version_is_data_center(string body, string? expected)
    {
        Assert.Equal(expected, ServerProbe.VersionIn(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task Application_properties_make_data_center_with_its_version()
    {
        await using var server = RawHttpServer.Answering(200, Properties);

        var identity = await IdentifyAsync(server.Origin + "/bitbucket/rest/api/latest/application-properties");

        Assert.Equal(new ServerIdentity(ApiFlavor.DataCenter, "9.2.0"), identity);
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET /bitbucket/rest/api/latest/application-properties", request.RequestLine);
        Assert.Null(request.Header("Authorization"));
    }

    [Theory]
    [InlineData(404, """{"type":"error","error":{"message":"Resource not found"}}""", "application/json")]
    [InlineData(200, "<html><body>Welcome</body></html>", "text/html")]
    [InlineData(401, Properties, "application/json")]
    [InlineData(500, Properties, "application/json")]
    public async Task Anything_else_is_cloud(int status, string body, string contentType)
    {
        await using var server = RawHttpServer.Answering(status, body, contentType);

        var identity = await IdentifyAsync(server.Origin + "/rest/api/latest/application-properties");

        Assert.Equal(new ServerIdentity(ApiFlavor.Cloud, null), identity);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_cloud_once_the_probe_gives_up()
    {
        var release = new TaskCompletionSource();
        await using var server = new RawHttpServer(async (_, _, _) => await release.Task);
        try
        {
            var identity = await IdentifyAsync(server.Origin + "/rest/api/latest/application-properties", TimeSpan.FromSeconds(1));

            Assert.Equal(new ServerIdentity(ApiFlavor.Cloud, null), identity);
            Assert.Single(server.Requests);
        }
        finally
        {
            release.SetResult();
        }
    }

    [Fact]
    public async Task A_refused_connection_is_cloud()
    {
        string origin;
        await using (var gone = RawHttpServer.Answering(200, Properties))
        {
            origin = gone.Origin;
        }

        Assert.Equal(ApiFlavor.Cloud, (await IdentifyAsync(origin + "/rest/api/latest/application-properties")).Flavor);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_not_followed()
    {
        await using var elsewhere = RawHttpServer.Answering(200, Properties);
        await using var server = RawHttpServer.Answering(302, "", "", ("Location", elsewhere.Origin + "/rest/api/latest/application-properties"));

        var identity = await IdentifyAsync(server.Origin + "/rest/api/latest/application-properties");

        Assert.Equal(ApiFlavor.Cloud, identity.Flavor);
        Assert.Single(server.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_same_origin_redirect_is_followed()
    {
        RawHttpServer? server = null;
        server = new RawHttpServer((request, stream, _) => request.Target.StartsWith("/moved", StringComparison.Ordinal)
            ? RawHttpServer.WriteResponseAsync(stream, 200, Properties)
            : RawHttpServer.WriteResponseAsync(stream, 301, "", "", ("Location", server!.Origin + "/moved/rest/api/latest/application-properties")));
        await using var _ = server;

        var identity = await IdentifyAsync(server.Origin + "/rest/api/latest/application-properties");

        Assert.Equal(new ServerIdentity(ApiFlavor.DataCenter, "9.2.0"), identity);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_answer_beyond_the_size_bound_is_not_read_to_its_end_and_so_is_cloud()
    {
        await using var server = RawHttpServer.Answering(200, "{\"pad\":\"" + new string('x', ServerProbe.MaxBody) + "\",\"version\":\"9.2.0\"}");

        var identity = await IdentifyAsync(server.Origin + "/rest/api/latest/application-properties");

        Assert.Equal(new ServerIdentity(ApiFlavor.Cloud, null), identity);
        Assert.Single(server.Requests);
    }

    private static Task<ServerIdentity> IdentifyAsync(string url, TimeSpan? timeout = null) =>
        ServerProbe.IdentifyAsync(new TestConsole().IO, TimeProvider.System, new RandomNonceSource(), new Uri(url), verbose: false, CancellationToken.None, timeout);
}
