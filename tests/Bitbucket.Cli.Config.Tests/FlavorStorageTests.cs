using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Config;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

/// <summary>A host's flavour is stored with it; Cloud, the default, is not written, so older files still load.</summary>
public sealed class FlavorStorageTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private ConfigStore Store() => new(temp.HostsFile, Samples.Cloud);

    [Fact]
    public void A_data_center_host_round_trips_and_a_cloud_host_writes_no_flavor()
    {
        Store().Update(config => config
            .WithHost(Local("work") with { Flavor = ApiFlavor.DataCenter })
            .WithHost(Local("other")));

        var text = File.ReadAllText(temp.HostsFile);
        Assert.Contains("\"flavor\": \"datacenter\"", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("\"flavor\"").Length);

        var loaded = Store().Load();
        Assert.Equal(ApiFlavor.DataCenter, loaded.GetHost("work").Flavor);
        Assert.Equal(ApiFlavor.Cloud, loaded.GetHost("other").Flavor);
        Assert.Equal(ApiFlavor.Cloud, loaded.GetHost("bitbucket.org").Flavor);
    }

    [Fact]
    public void An_unknown_flavor_is_a_config_error_naming_the_host()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(temp.HostsFile)!);
        File.WriteAllText(temp.HostsFile, """
            {"version": 1, "defaultHost": "work", "hosts": {"work": {"flavor": "server", "apiUrl": "https://git.example.com",
             "requestTokenUrl": "https://git.example.com/r", "authorizeUrl": "https://git.example.com/a",
             "accessTokenUrl": "https://git.example.com/t", "signatureMethod": "RSA-SHA1", "accounts": {}}}}
            """);
        File.SetUnixFileMode(temp.HostsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<ConfigException>(() => Store().Load());
        Assert.Contains("host 'work': flavor must be", error.Message, StringComparison.Ordinal);
    }
}
