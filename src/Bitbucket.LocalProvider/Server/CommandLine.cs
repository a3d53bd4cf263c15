using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bitbucket.LocalProvider;

/// <summary>A command line that cannot be used; Program prints the message and exits 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);

/// <summary>What the command line asked for.</summary>
internal sealed record ParsedCommandLine(LocalProviderOptions Options, bool ExitOnStdinClose, bool Help);

/// <summary>Parses <c>bb-local-provider</c>'s arguments. The consumer secret never comes from argv.</summary>
internal static class CommandLine
{
    public const string SecretVariable = "BB_LOCAL_CONSUMER_SECRET";

    public const string Usage = """
        Usage: bb-local-provider [options]

        A Bitbucket-compatible OAuth 1.0a provider with seeded data, for tests and demos.
        Listens on 127.0.0.1 only and prints one line: listening on http://127.0.0.1:PORT
        (https://… with --https)

        Options:
          --flavor cloud|datacenter   which Bitbucket to imitate (default cloud); each serves only its own routes
          --context-path /PATH        datacenter: serve every route under /PATH (e.g. /bitbucket)
          --rsa-private-key-out F     datacenter: make an RSA key pair for the consumer and write its
                                      private half to F (mode 0600); or give --rsa-public-key
          --port N                    TCP port (default 0: a free port)
          --https                     serve TLS with a self-signed certificate for 127.0.0.1 and localhost,
                                      made at start-up; HTTP/2 and HTTP/1.1 through ALPN
          --tls-cert-out F            with --https: write the certificate (PEM, no key) to F, for SSL_CERT_FILE=F
          --http1-only                no HTTP/2: serve HTTP/1.1 only
          --consumer KEY              consumer key to accept (default bb-local)
          --consumer-secret-file F    file holding the consumer secret (else $BB_LOCAL_CONSUMER_SECRET,
                                      else the public demo secret bb-local-secret)
          --rsa-public-key F          PEM public key or certificate: accept RSA-SHA1 signatures
          --auto-approve              the approve page submits itself (for headless browsers)
          --user NAME                 the user who approves (default alice)
          --pages N                   large seeded lists span N pages (pagelen 100; datacenter: limit 25) (default 3)
          --seed-file F               JSON file with extra consumers, workspaces and repositories
          --oauth2-token-lifetime N   cloud: OAuth 2.0 access tokens last N seconds (default 7200)
          --seed-token-file F         accept the tokens in F, one a line: TOKEN (Bearer) or LOGIN:TOKEN
                                      (an API token with HTTP Basic), all for --user
          --test-hooks                enable /__test/requests, /__test/fail-next, /__test/connections, …
          --exit-on-stdin-close       stop when standard input reaches end of file
          --quiet                     no request log on stderr
          -h, --help                  show this help
        """;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new LocalProviderOptions { Log = Console.Error };
        var consumerKey = LocalConsumer.Default.Key;
        string? secretFile = null;
        string? rsaFile = null;
        var flavor = ProviderFlavor.Cloud;
        bool exitOnStdinClose = false, help = false, quiet = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 0)
            {
                (arg, inline) = (arg[..eq], arg[(eq + 1)..]);
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new CommandLineException($"{arg} needs a value");
                }

                return args[++i];
            }

            int Number()
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new CommandLineException($"{arg} needs a whole number, got '{text}'");
            }

            switch (arg)
            {
                case "--flavor": flavor = Flavor(Value()); break;
                case "--context-path": options = options with { ContextPath = Value() }; break;
                case "--rsa-private-key-out": options = options with { RsaPrivateKeyOut = Value() }; break;
                case "--port": options = options with { Port = Number() }; break;
                case "--https": options = options with { Https = true }; break;
                case "--tls-cert-out": options = options with { TlsCertificateOut = Value() }; break;
                case "--http1-only": options = options with { Http1Only = true }; break;
                case "--consumer": consumerKey = Value(); break;
                case "--consumer-secret-file": secretFile = Value(); break;
                case "--rsa-public-key": rsaFile = Value(); break;
                case "--auto-approve": options = options with { AutoApprove = true }; break;
                case "--user": options = options with { User = Value() }; break;
                case "--pages": options = options with { Pages = Number() }; break;
                case "--seed-file": options = options with { SeedFile = Value() }; break;
                case "--test-hooks": options = options with { TestHooks = true }; break;
                case "--oauth2-token-lifetime": options = options with { OAuth2TokenLifetime = TimeSpan.FromSeconds(Number()) }; break;
                case "--seed-token-file": options = OAuth2.SeedTokenFile.Apply(options, Value(), message => new CommandLineException(message)); break;
                case "--exit-on-stdin-close": exitOnStdinClose = true; break;
                case "--quiet": quiet = true; break;
                case "-h" or "--help": help = true; break;
                default: throw new CommandLineException($"unknown argument '{args[i]}' (see --help)");
            }
        }

        var secret = secretFile is not null ? ReadSecret(secretFile) : environment(SecretVariable) is { Length: > 0 } fromEnv ? fromEnv : LocalConsumer.Default.Secret;
        var consumer = LocalConsumer.Default with { Key = consumerKey, Secret = secret, RsaPublicKey = rsaFile is null ? null : ReadPublicKey(rsaFile) };
        options = options with { Consumers = [consumer], Flavor = flavor, Log = quiet ? null : Console.Error };
        return new ParsedCommandLine(options, exitOnStdinClose, help);
    }

    private static ProviderFlavor Flavor(string text) => text switch
    {
        "cloud" => ProviderFlavor.Cloud,
        "datacenter" => ProviderFlavor.DataCenter,
        _ => throw new CommandLineException($"--flavor must be cloud or datacenter, got '{text}'"),
    };

    private static string ReadSecret(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"cannot read the consumer secret file {path}: {e.Message}");
        }

        // A trailing newline from `echo secret > file` is not part of the secret.
        var secret = text.TrimEnd('\r', '\n');
        return secret.Length > 0 ? secret : throw new CommandLineException($"the consumer secret file {path} is empty");
    }

    /// <summary>Reads a PEM public key (PUBLIC KEY or RSA PUBLIC KEY) or a PEM certificate; a private key is refused.</summary>
    internal static RSA ReadPublicKey(string path)
    {
        try
        {
            var pem = File.ReadAllText(path);
            var rest = pem.AsSpan();
            while (PemEncoding.TryFind(rest, out var fields))
            {
                var block = rest[fields.Location].ToString();
                switch (rest[fields.Label].ToString())
                {
                    case "CERTIFICATE":
                        using (var certificate = X509Certificate2.CreateFromPem(block))
                        {
                            return certificate.GetRSAPublicKey() ?? throw new CommandLineException($"{path}: the certificate has no RSA key");
                        }

                    case "PUBLIC KEY" or "RSA PUBLIC KEY":
                        var rsa = RSA.Create();
                        rsa.ImportFromPem(block);
                        return rsa;
                }

                rest = rest[fields.Location.End..];
            }

            throw new CommandLineException($"{path} holds no PEM PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE block (give the public half, not the private key)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            throw new CommandLineException($"cannot read the RSA public key {path}: {e.Message}");
        }
    }
}
