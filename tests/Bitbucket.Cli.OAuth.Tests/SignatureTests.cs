using System.Security.Cryptography;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>RFC 5849 §3.4.2–§3.4.4 beyond the RFC's own vectors.</summary>
public sealed class SignatureTests
{
    // RFC 5849 §3.4.1.1, the example signature base string.
    private const string RfcBaseString =
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";

    [Fact]
    public void Hmac_sha256_matches_oauthlib()
    {
        // oauthlib 3.2.2: signature.sign_hmac_sha256(<§3.4.1.1 base string>, "j49sk3j29djd", "dh893hdasih9").
        Assert.Equal("lIfydhbOitvsm4DvUwgM0NdR1Mzd08HnXI+q+EG0QKo=", OAuthSignature.Sign(SignatureMethod.HmacSha256, RfcBaseString, "j49sk3j29djd", "dh893hdasih9", null));
    }

    [Fact]
    public void Rsa_sha1_with_the_checked_in_key_matches_oauthlib()
    {
        // RSASSA-PKCS1-v1_5 is deterministic: oauthlib 3.2.2 signature._sign_rsa('SHA-1', <§3.4.1.1 base
        // string>, TestData/rsa-test-key-pkcs1.pem) gives exactly this.
        const string expected =
            "NwRzzLznwWUfF0af3q+WnJ0wJGVo4RWwe2HhFHQ59AV22huwnoD/H+brQYArGlysg04Pv9f9sBPartXH72JUNMA2sJoTc3IKWTTVtWP8xpPYmPV3hrtor6lQIYG9nCGPO4v1vqZBr+N49vnJT+i3Z2kvP9bAcOU7P7twBMrbg4ufertoAZZ2BtKHItPgxeb1+bDv5zbjEqiF4rKdvqhsu6JQTYVkI+DxeGdh2soO8vq11DPY7tqUda63xmAzl7ZjSEZLadXuS28YXpMbzPYQZTNniwCckqTG02+NArqQzIwmtjM/UcEOd9arOQjUd9XjZNoi5dkDbLBt66BFtX7OTg==";
        using var privateKey = TestKeys.CheckedIn();
        using var publicKey = TestKeys.CheckedInPublic();

        Assert.Equal(expected, OAuthSignature.Sign(SignatureMethod.RsaSha1, RfcBaseString, "", null, privateKey));
        Assert.True(OAuthSignature.Verify(SignatureMethod.RsaSha1, RfcBaseString, expected, "", null, publicKey));
    }

    [Fact]
    public void Rsa_sha1_round_trips_with_a_generated_key()
    {
        using var key = RSA.Create(2048);
        using var publicOnly = RSA.Create();
        publicOnly.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);

        var signature = OAuthSignature.Sign(SignatureMethod.RsaSha1, RfcBaseString, "ignored", null, key);

        Assert.True(OAuthSignature.Verify(SignatureMethod.RsaSha1, RfcBaseString, signature, "ignored", null, publicOnly));
        Assert.False(OAuthSignature.Verify(SignatureMethod.RsaSha1, RfcBaseString + "x", signature, "ignored", null, publicOnly));
        Assert.False(OAuthSignature.Verify(SignatureMethod.RsaSha1, RfcBaseString, "not base64!", "ignored", null, publicOnly));
        using var other = TestKeys.CheckedInPublic();
        Assert.False(OAuthSignature.Verify(SignatureMethod.RsaSha1, RfcBaseString, signature, "ignored", null, other));
    }

    [Fact]
    public void Rsa_sha1_without_a_key_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => OAuthSignature.Sign(SignatureMethod.RsaSha1, RfcBaseString, "s", null, null));
        Assert.Contains("RSA private key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignatureMethod.HmacSha1)]
    [InlineData(SignatureMethod.HmacSha256)]
    [InlineData(SignatureMethod.Plaintext)]
    public void Verify_accepts_the_signature_and_rejects_any_other(SignatureMethod method)
    {
        const string consumerSecret = "c&s=+% /ü";
        const string tokenSecret = "t&s";
        var signature = OAuthSignature.Sign(method, RfcBaseString, consumerSecret, tokenSecret, null);

        Assert.True(OAuthSignature.Verify(method, RfcBaseString, signature, consumerSecret, tokenSecret, null));
        Assert.False(OAuthSignature.Verify(method, RfcBaseString, signature, consumerSecret, "other", null));
        Assert.False(OAuthSignature.Verify(method, RfcBaseString, signature, "other", tokenSecret, null));
        Assert.False(OAuthSignature.Verify(method, RfcBaseString, signature[..^1], consumerSecret, tokenSecret, null));
        Assert.False(OAuthSignature.Verify(method, RfcBaseString, "", consumerSecret, tokenSecret, null));
    }

    [Fact]
    public void Hmac_key_encodes_both_secrets_and_always_has_the_ampersand()
    {
        // §3.4.2 key: enc(client secret) "&" enc(token secret), "&" present even when either is empty.
        Assert.Equal("a%26b&", OAuthSignature.SharedSecretKey("a&b", null));
        Assert.Equal("&t%20s", OAuthSignature.SharedSecretKey("", "t s"));
        Assert.NotEqual(
            OAuthSignature.Sign(SignatureMethod.HmacSha1, "x", "a&b", "", null),
            OAuthSignature.Sign(SignatureMethod.HmacSha1, "x", "a", "b", null));
    }

    [Theory]
    [InlineData(SignatureMethod.HmacSha1, "HMAC-SHA1")]
    [InlineData(SignatureMethod.HmacSha256, "HMAC-SHA256")]
    [InlineData(SignatureMethod.Plaintext, "PLAINTEXT")]
    [InlineData(SignatureMethod.RsaSha1, "RSA-SHA1")]
    public void Signature_method_wire_names_round_trip(SignatureMethod method, string wire)
    {
        Assert.Equal(wire, SignatureMethods.ToWire(method));
        Assert.True(SignatureMethods.TryParse(wire, out var parsed));
        Assert.Equal(method, parsed);
        Assert.True(SignatureMethods.TryParse(wire.ToLowerInvariant(), out parsed));
        Assert.Equal(method, parsed);
        Assert.True(SignatureMethods.TryParse(method.ToString(), out parsed));
        Assert.Equal(method, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("HMAC-SHA512")]
    [InlineData("md5")]
    public void Signature_method_rejects_unknown_names(string? text) =>
        Assert.False(SignatureMethods.TryParse(text, out _));
}
