using System.Security.Cryptography;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

public sealed class CredentialsAndKeysTests
{
    [Fact]
    public void Credentials_ToString_prints_no_secret_token_or_key()
    {
        using var key = TestKeys.CheckedIn();
        var credentials = new OAuthCredentials("my-consumer", "CONSUMER-SECRET-1", "ACCESS-TOKEN-2", "TOKEN-SECRET-3", SignatureMethod.RsaSha1, key, "Realm");

        var text = credentials.ToString();

        Assert.Contains("my-consumer", text, StringComparison.Ordinal);
        Assert.Contains("RSA-SHA1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CONSUMER-SECRET-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ACCESS-TOKEN-2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TOKEN-SECRET-3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RSA", text.Replace("RSA-SHA1", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(key.ExportRSAPublicKey())[..16], text, StringComparison.Ordinal);
        // Interpolation and string.Format go through ToString too.
        Assert.DoesNotContain("CONSUMER-SECRET-1", $"{credentials}", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa-test-key-pkcs1.pem")]
    [InlineData("rsa-test-key-pkcs8.pem")]
    public void Loads_pkcs1_and_pkcs8_private_keys(string fileName)
    {
        using var key = RsaKeys.LoadPrivateKeyPem(TestKeys.PathOf(fileName));
        using var publicKey = TestKeys.CheckedInPublic();

        var signature = OAuthSignature.Sign(SignatureMethod.RsaSha1, "base", "", null, key);

        Assert.True(OAuthSignature.Verify(SignatureMethod.RsaSha1, "base", signature, "", null, publicKey));
    }

    [Fact]
    public void Rejects_a_public_key_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidDataException>(() => RsaKeys.LoadPrivateKeyPem(TestKeys.PathOf("rsa-test-key-public.pem")));

        Assert.Contains("'PUBLIC KEY'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rsa-test-key-public.pem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_encrypted_key_without_echoing_it()
    {
        using var key = TestKeys.CheckedIn();
        var pem = key.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        var error = Assert.Throws<InvalidDataException>(() => RsaKeys.ParsePrivateKeyPem(pem, "BB_RSA_KEY"));

        Assert.Contains("BB_RSA_KEY holds an encrypted private key", error.Message, StringComparison.Ordinal);
        AssertNoKeyMaterial(pem, error);
    }

    [Fact]
    public void Rejects_corrupt_key_data_without_echoing_it()
    {
        var pem = File.ReadAllText(TestKeys.PathOf("rsa-test-key-pkcs1.pem"));
        var lines = pem.Split('\n');
        lines[3] = new string('A', lines[3].Length); // still base64, no longer a valid ASN.1 key
        var corrupt = string.Join('\n', lines);

        var error = Assert.Throws<InvalidDataException>(() => RsaKeys.ParsePrivateKeyPem(corrupt, "key.pem"));

        Assert.Contains("key.pem does not hold a valid RSA private key", error.Message, StringComparison.Ordinal);
        AssertNoKeyMaterial(corrupt, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key at all")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host")]
    public void Rejects_non_pem_text(string text)
    {
        var error = Assert.Throws<InvalidDataException>(() => RsaKeys.ParsePrivateKeyPem(text, "key.pem"));

        Assert.Contains("key.pem is not a PEM file", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAAB3", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNoKeyMaterial(string pem, Exception error)
    {
        var bodyLines = pem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal));
        for (var e = error; e is not null; e = e.InnerException)
        {
            foreach (var line in bodyLines)
            {
                Assert.DoesNotContain(line[..20], e.Message, StringComparison.Ordinal);
            }
        }
    }
}
