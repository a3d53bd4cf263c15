using System.Security.Cryptography;
using Bitbucket.LocalProvider;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>A second local provider whose consumer signs with RSA-SHA1; the private key is a 0600 PEM file.</summary>
public sealed class RsaProviderFixture : IAsyncLifetime
{
    public const string ConsumerKey = "bb-rsa";

    private readonly RSA key = RSA.Create(2048);
    private RunningProvider? provider;

    public string ApiUrl => provider!.BaseUri.GetLeftPart(UriPartial.Authority);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bb-test-rsa-").FullName;

    /// <summary>The private key PEM file (mode 0600).</summary>
    public string KeyFile => Path.Combine(Directory, "consumer.pem");

    /// <summary>The base64 body of the private key PEM: must never be printed.</summary>
    public string PrivateKeyBody { get; private set; } = "";

    /// <summary>Lines of the PEM body, each long enough to be unmistakable.</summary>
    public IReadOnlyList<string> PrivateKeyLines { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var pem = key.ExportPkcs8PrivateKeyPem();
        await File.WriteAllTextAsync(KeyFile, pem);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var lines = pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        PrivateKeyBody = string.Concat(lines);
        PrivateKeyLines = lines.Where(l => l.Length >= 32).ToList();

        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        provider = await LocalProviderServer.StartAsync(new LocalProviderOptions
        {
            Consumers = [new LocalConsumer(ConsumerKey, "bb-rsa-unused-secret", "bb (rsa test)", publicKey)],
            AutoApprove = true,
            TestHooks = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }

        key.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Logs <paramref name="bb"/> in as host <c>rsa</c> with RSA-SHA1 and <see cref="KeyFile"/>.</summary>
    public Task<BbResult> LoginAsync(BbProcess bb, params string[] extra) =>
        ProviderLogin.LoginAsync(bb, ApiUrl, "rsa", ConsumerKey, consumerSecret: null, ["--signature-method", "RSA-SHA1", "--rsa-key", KeyFile, .. extra]);
}
