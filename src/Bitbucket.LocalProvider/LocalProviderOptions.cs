using System.Security.Cryptography;

namespace Bitbucket.LocalProvider;

/// <summary>A consumer (an OAuth 1.0a client registration) the provider accepts.</summary>
/// <param name="Key">The consumer key, sent as <c>oauth_consumer_key</c>.</param>
/// <param name="Secret">The consumer secret used by HMAC-SHA1, HMAC-SHA256 and PLAINTEXT.</param>
/// <param name="Name">The application name shown on the approve page.</param>
/// <param name="RsaPublicKey">When set, RSA-SHA1 signatures from this consumer are verified with it.</param>
public sealed record LocalConsumer(string Key, string Secret, string Name, RSA? RsaPublicKey = null)
{
    /// <summary>The public demo consumer: key <c>bb-local</c>, secret <c>bb-local-secret</c>.</summary>
    public static LocalConsumer Default { get; } = new("bb-local", "bb-local-secret", "bb (local demo)");

    // Never print the secret, not even through a record's generated ToString.
    public override string ToString() => $"LocalConsumer {{ Key = {Key}, Name = {Name} }}";
}

/// <summary>Which Bitbucket the provider imitates; each serves only its own routes.</summary>
public enum ProviderFlavor
{
    /// <summary>Bitbucket Cloud: <c>/2.0/…</c> and the <c>/api/1.0/oauth/…</c> endpoints, any signature method.</summary>
    Cloud,

    /// <summary>Bitbucket Data Center: <c>/rest/…</c> and the OAuth servlet, RSA-SHA1 only, optionally under a context path.</summary>
    DataCenter,
}

/// <summary>Everything <see cref="LocalProviderServer.StartAsync"/> needs; every property has a usable default.</summary>
public sealed record LocalProviderOptions
{
    /// <summary>The only address the provider binds. Anything but 127.0.0.1 is refused.</summary>
    public const string LoopbackAddress = "127.0.0.1";

    /// <summary>The address to bind; kept as an option only so that a mistake fails loudly.</summary>
    public string BindAddress { get; init; } = LoopbackAddress;

    /// <summary>Cloud (default) or Data Center.</summary>
    public ProviderFlavor Flavor { get; init; } = ProviderFlavor.Cloud;

    /// <summary>Data Center only: the path every route lives under, e.g. <c>/bitbucket</c>; empty for none.</summary>
    public string ContextPath { get; init; } = "";

    /// <summary>
    /// Data Center only: when a consumer has no RSA public key, the provider makes a key pair at start-up,
    /// verifies with its public half and writes the private half here as PKCS#8 PEM, mode 0600.
    /// </summary>
    public string? RsaPrivateKeyOut { get; init; }

    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Serve HTTPS (TLS) with a self-signed certificate for 127.0.0.1 and localhost, made at start-up and
    /// valid for a day; HTTP/1.1 and HTTP/2 are offered through ALPN unless <see cref="Http1Only"/>.
    /// </summary>
    public bool Https { get; init; }

    /// <summary>With <see cref="Https"/>: write the certificate (PEM, public part only) here, for <c>SSL_CERT_FILE</c>.</summary>
    public string? TlsCertificateOut { get; init; }

    /// <summary>Serve HTTP/1.1 only (no HTTP/2 through ALPN): how a server without HTTP/2 behaves.</summary>
    public bool Http1Only { get; init; }

    /// <summary>The consumers the provider accepts; the first is the one the approve page names by default.</summary>
    public IReadOnlyList<LocalConsumer> Consumers { get; init; } = [LocalConsumer.Default];

    /// <summary>The user every approval is made as; also the slug of that user's own workspace.</summary>
    public string User { get; init; } = "alice";

    /// <summary>The approve page submits itself in a browser (it stays a plain form: curl or no JavaScript approve with one POST).</summary>
    public bool AutoApprove { get; init; }

    /// <summary>How many pages (at pagelen 100) the large seeded lists span: <c>big</c>'s repositories and <c>many</c>'s branches.</summary>
    public int Pages { get; init; } = 3;

    /// <summary>An optional JSON file with extra consumers, workspaces and repositories (see docs/local-provider.md).</summary>
    public string? SeedFile { get; init; }

    /// <summary>Enables <c>/__test/requests</c>, <c>/__test/fail-next</c>, <c>/__test/connections</c> and the others.</summary>
    public bool TestHooks { get; init; }

    /// <summary>How far <c>oauth_timestamp</c> may be from the provider's clock.</summary>
    public TimeSpan TimestampWindow { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>The provider's clock (timestamps, token dates).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where one line per request (method, path, status) goes; null for none.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>How long an OAuth 2.0 access token lasts (Bitbucket Cloud: about 2 hours); short for tests of the refresh.</summary>
    public TimeSpan OAuth2TokenLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Bearer tokens accepted for <see cref="User"/> (Data Center HTTP access tokens, Cloud access tokens); they never expire.</summary>
    public IReadOnlyList<string> SeedTokens { get; init; } = [];

    /// <summary>Cloud API tokens accepted with HTTP Basic (login and token) for <see cref="User"/>.</summary>
    public IReadOnlyList<OAuth2.LocalApiToken> ApiTokens { get; init; } = [];

    /// <summary>How many requests <c>/__test/requests</c> keeps.</summary>
    public int RecordedRequestLimit { get; init; } = 200;
}
