using System.Text.Json;
using Bitbucket.LocalProvider;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>
/// The local provider as Bitbucket Data Center (optionally under a context path): RSA-SHA1 only,
/// its consumer's private key written by the provider to a 0600 PEM file for bb to sign with.
/// </summary>
public class DataCenterProviderFixture : IAsyncLifetime
{
    /// <summary>The provider's default consumer, which gets the generated key pair.</summary>
    public const string ConsumerKey = "bb-local";

    /// <summary>The default consumer's secret: useless against Data Center, which takes RSA-SHA1 only.</summary>
    public const string ConsumerSecret = "bb-local-secret";

    private RunningProvider? provider;

    public DataCenterProviderFixture()
        : this(string.Empty)
    {
    }

    /// <summary>xunit wants one public constructor; <see cref="ContextPathDataCenterProviderFixture"/> uses this one.</summary>
    protected DataCenterProviderFixture(string contextPath) => ContextPath = contextPath;

    public string ContextPath { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>: where the test hooks are.</summary>
    public string Origin => provider!.BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>What bb is given as <c>--api-url</c>: the origin with the context path.</summary>
    public string ApiUrl => Origin + ContextPath;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bb-test-dc-").FullName;

    /// <summary>The consumer's private key (PKCS#8 PEM, 0600), written by the provider at start.</summary>
    public string KeyFile => Path.Combine(Directory, "consumer.pem");

    /// <summary>A <c>BROWSER</c> command that approves like a person: the provider's own scripted browser.</summary>
    public static string ApproveCommand
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "bb-local-provider.dll");
            return File.Exists(dll) ? $"dotnet {dll} approve" : throw new FileNotFoundException("the provider's scripted browser is missing: " + dll);
        }
    }

    public async Task InitializeAsync() =>
        provider = await LocalProviderServer.StartAsync(new LocalProviderOptions
        {
            Flavor = ProviderFlavor.DataCenter,
            ContextPath = ContextPath,
            RsaPrivateKeyOut = KeyFile,
            AutoApprove = true,
            TestHooks = true,
        });

    public virtual async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The raw request targets (path and query) the provider received, oldest first.</summary>
    public async Task<List<string>> RequestTargetsAsync()
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(Origin + "/__test/requests")));
        return document.RootElement.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("target").GetString()!).ToList();
    }

    public async Task ClearRequestsAsync()
    {
        using var http = new HttpClient();
        using var response = await http.DeleteAsync(new Uri(Origin + "/__test/requests"));
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>The Data Center provider under the context path <c>/bitbucket</c>.</summary>
public sealed class ContextPathDataCenterProviderFixture() : DataCenterProviderFixture("/bitbucket");

[CollectionDefinition(Name)]
public sealed class DataCenterProviderCollection : ICollectionFixture<DataCenterProviderFixture>
{
    public const string Name = "local provider (Data Center)";
}
