using System.Security.Cryptography;

namespace Bitbucket.LocalProvider.Tests;

public sealed class CommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Defaults_are_the_public_demo_consumer_and_alice()
    {
        var parsed = CommandLine.Parse([], NoEnvironment);
        var consumer = Assert.Single(parsed.Options.Consumers);
        Assert.Equal("bb-local", consumer.Key);
        Assert.Equal("bb-local-secret", consumer.Secret);
        Assert.Equal("alice", parsed.Options.User);
        Assert.Equal(0, parsed.Options.Port);
        Assert.Equal(3, parsed.Options.Pages);
        Assert.False(parsed.Options.AutoApprove);
        Assert.False(parsed.Options.TestHooks);
        Assert.False(parsed.ExitOnStdinClose);
        Assert.Same(Console.Error, parsed.Options.Log);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var parsed = CommandLine.Parse(
            ["--port=5000", "--consumer", "k", "--auto-approve", "--user", "bob", "--pages", "4", "--seed-file", "s.json", "--test-hooks", "--exit-on-stdin-close", "--quiet"],
            NoEnvironment);
        Assert.Equal(5000, parsed.Options.Port);
        Assert.Equal("k", parsed.Options.Consumers[0].Key);
        Assert.True(parsed.Options.AutoApprove);
        Assert.Equal("bob", parsed.Options.User);
        Assert.Equal(4, parsed.Options.Pages);
        Assert.Equal("s.json", parsed.Options.SeedFile);
        Assert.True(parsed.Options.TestHooks);
        Assert.True(parsed.ExitOnStdinClose);
        Assert.Null(parsed.Options.Log);
    }

    [Fact]
    public void Secret_comes_from_the_environment_or_a_file_never_argv()
    {
        Assert.Equal("from-env", CommandLine.Parse([], n => n == CommandLine.SecretVariable ? "from-env" : null).Options.Consumers[0].Secret);

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "from-file\n");
            var parsed = CommandLine.Parse(["--consumer-secret-file", path], _ => "from-env");
            Assert.Equal("from-file", parsed.Options.Consumers[0].Secret);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--consumer-secret", "x"], NoEnvironment));
    }

    [Fact]
    public void Rsa_public_key_is_read_from_pem()
    {
        using var rsa = RSA.Create(2048);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
            var key = CommandLine.Parse(["--rsa-public-key", path], NoEnvironment).Options.Consumers[0].RsaPublicKey;
            Assert.NotNull(key);
            Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());

            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--rsa-public-key", path], NoEnvironment));

            File.WriteAllText(path, "not a key");
            Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--rsa-public-key", path], NoEnvironment));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rsa_public_key_is_read_from_a_certificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=bb", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, certificate.ExportCertificatePem());
            var key = CommandLine.Parse(["--rsa-public-key", path], NoEnvironment).Options.Consumers[0].RsaPublicKey;
            Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), key!.ExportSubjectPublicKeyInfo());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Data_center_options_are_read_and_cloud_is_the_default()
    {
        Assert.Equal(ProviderFlavor.Cloud, CommandLine.Parse([], NoEnvironment).Options.Flavor);
        var parsed = CommandLine.Parse(["--flavor", "datacenter", "--context-path=/bitbucket", "--rsa-private-key-out", "key.pem"], NoEnvironment);
        Assert.Equal(ProviderFlavor.DataCenter, parsed.Options.Flavor);
        Assert.Equal("/bitbucket", parsed.Options.ContextPath);
        Assert.Equal("key.pem", parsed.Options.RsaPrivateKeyOut);
    }

    [Theory]
    [InlineData("--flavor", "server")]
    [InlineData("--flavor")]
    [InlineData("--bogus")]
    [InlineData("--port")]
    [InlineData("--port", "x")]
    [InlineData("--consumer-secret-file", "/nonexistent/secret")]
    public void Bad_arguments_are_usage_errors(params string[] args) =>
        Assert.Throws<CommandLineException>(() => CommandLine.Parse(args, NoEnvironment));

    [Fact]
    public void Consumer_never_prints_its_secret() =>
        Assert.DoesNotContain("bb-local-secret", LocalConsumer.Default.ToString());
}
