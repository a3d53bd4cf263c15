using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests.Interop;

/// <summary>One request to sign and hand to oauthlib.</summary>
/// <param name="Body">The exact body text; <paramref name="FormPairs"/> instead builds a <see cref="FormUrlEncodedContent"/> (handler path only).</param>
/// <param name="ViaHandler">Sign through <see cref="OAuthSigningHandler"/> (and an HttpRequestMessage) rather than <see cref="OAuthRequestSigner"/> directly.</param>
internal sealed record InteropCase(
    string Id,
    string Method,
    Uri Uri,
    string? ContentType,
    string? Body,
    IReadOnlyList<KeyValuePair<string, string>>? FormPairs,
    OAuthCredentials Credentials,
    string? PublicKeyPem,
    string Nonce,
    long Timestamp,
    IReadOnlyList<KeyValuePair<string, string>> Extra,
    bool ViaHandler)
{
    public bool IsForm => ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>A few fixed RSA keys, made once: key generation stays out of the hot loop.</summary>
internal static class InteropKeys
{
    private static readonly Lazy<(RSA Key, string PublicPem)[]> Keys = new(() =>
    {
        var keys = new[] { TestKeys.CheckedIn(), RSA.Create(2048), RSA.Create(2048) };
        return [.. keys.Select(k => (k, k.ExportSubjectPublicKeyInfoPem()))];
    });

    public static (RSA Key, string PublicPem) Pick(Random random) => Keys.Value[random.Next(Keys.Value.Length)];

    public static (RSA Key, string PublicPem) CheckedIn => Keys.Value[0];

    /// <summary>A public key that is not <paramref name="publicPem"/>.</summary>
    public static string OtherThan(string? publicPem) => Keys.Value.First(k => k.PublicPem != publicPem).PublicPem;
}

/// <summary>
/// A seeded generator of awkward but legal requests: reserved, unicode and percent characters in paths,
/// queries and secrets; repeated keys, empty values and bare flags; form, JSON and text bodies; every
/// signature method; default and non-default ports, IPv6 and IDN hosts; realms, callbacks and verifiers.
/// </summary>
/// <remarks>
/// It stays inside what a correct oauthlib server accepts, steering around oauthlib's own limits
/// (documented in docs/oauth.md): no raw '[' ']' in queries, no characters outside the form alphabet or
/// broken escapes in form bodies, lower-case form media type, no empty ";params" at the end of the path,
/// no 'oauth_' names outside the header, and a query 'realm' only when the header carries a realm.
/// </remarks>
internal sealed class InteropCaseGenerator(int seed)
{
    private static readonly string[] Schemes = ["http", "https", "HTTP", "Https"];
    private static readonly string[] Hosts = ["example.com", "EXAMPLE.ORG", "api.bitbucket.org", "bitbucket.example.co.uk", "127.0.0.1", "[::1]", "localhost", "bücher.example", "xn--bcher-kva.example"];
    private static readonly string[] Ports = ["", "", "", ":80", ":443", ":8080", ":7990", ":8443", ":1"];
    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "PROPFIND", "patch"];

    private static readonly string[] PathAtoms =
    [
        "a", "Z", "repo", "09", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", " ",
        "%20", "%2F", "%2f", "%7E", "%7e", "%41", "%25", "%3B", "%3F", "%23", "%2A", "é", "ü", "ß", "日本", "Ω", "😀",
        "%C3%A9", "%c3%a9", "[", "]", "100%", "%4", "{x}", "|", "^", "`", "\"", "<>", "\\",
    ];

    // Raw characters .NET leaves in (or escapes for) the query and oauthlib's urldecode accepts.
    private static readonly string[] QueryAtoms =
    [
        "1", "abc", "Z", "+", "%2B", "%20", " ", "%25", "%", "*", "%2A", "%2a", "~", "%7E", "!", "'", "(", ")", ",", ":", "@",
        "/", "?", "$", ";", "=", "ü", "%C3%BC", "%c3%bc", "€", "😀", "%FF", "%E2%82", "%zz", "\"", "<", ">", "{", "}", "|", "^", "`",
        "%5B", "%5D", "%26", "%3D", "%23",
    ];

    // Form bodies are sent as written, so only the form alphabet and valid escapes.
    private static readonly string[] FormAtoms =
    [
        "1", "abc", "Z", "+", "%2B", "%20", "%25", "*", "%2A", "%2a", "~", "%7E", "!", "'", "(", ")", ",", ":", "@", "/", "?", "$", ";",
        "=", "%C3%BC", "%c3%bc", "%E2%82%AC", "%F0%9F%98%80", "%FF", "%26", "%3D", "-", ".", "_",
    ];

    private static readonly string[] Names = ["a", "a", "b", "A", "q", "page", "pagelen", "fields", "sort", "c%40", "a%20b", "x+y", "%2B", "%C3%BC", "a%5B0%5D", "state", "Z", "-"];
    private static readonly string[] ConsumerKeys = ["bb-consumer", "dpf43f3p2l4k3l03", "key with spaces", "k&=+%/?", "clé-ü", "😀key", "a", "9djdj82h48djs9d2"];
    private static readonly string[] Secrets = ["", "kd94hf93k423kf44", "s&=+%/ ", "sécret ü", "p@ss:w0rd;", "100%", "a+b", "~-._*", "日本語のシークレット", "\"quoted\"\\"];
    private static readonly string[] Tokens = ["nnch734d00sl2jdk", "tok en&=", "tøken", "t+k/n%", "~token~"];
    private static readonly string[] Realms = ["Photos", "https://bitbucket.org/", "realm with spaces & \"quotes\"", "ré", ""];
    private static readonly string[] Callbacks = ["oob", "http://127.0.0.1:8123/callback?state=a b&x=%2F", "https://printer.example.com/ready", "http://localhost/cb#frag"];
    private static readonly string[] AwkwardNonces = ["n o&n=c+e%", "ü-nonce", "~-._", "4572616e48616d6d65724c61686176", "*"];

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Random random = new(seed);

    public IEnumerable<InteropCase> Generate(int count, string prefix)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next(prefix + i.ToString(CultureInfo.InvariantCulture));
        }
    }

    private InteropCase Next(string id)
    {
        var credentials = NextCredentials(out var publicPem);
        var viaHandler = Chance(0.35);
        var method = Pick(Methods);
        var uri = NextUri(allowRealmName: credentials.Realm is not null);
        var (contentType, body, formPairs) = NextBody(method, viaHandler);
        var extra = new List<KeyValuePair<string, string>>();
        if (!viaHandler && Chance(0.15))
        {
            extra.Add(new("oauth_callback", Pick(Callbacks)));
        }

        if (!viaHandler && Chance(0.15))
        {
            extra.Add(new("oauth_verifier", Chance(0.5) ? RandomText(Alphanumerics, 20) : "hfdp7dh39dks9884"));
        }

        var nonce = Chance(0.85) ? RandomText(Alphanumerics, 32) : Pick(AwkwardNonces);
        var timestamp = this.random.NextInt64(1_000_000_000, 2_147_483_648);
        return new InteropCase(id, method, uri, contentType, body, formPairs, credentials, publicPem, nonce, timestamp, extra, viaHandler);
    }

    private OAuthCredentials NextCredentials(out string? publicPem)
    {
        var method = (SignatureMethod)this.random.Next(4);
        RSA? key = null;
        publicPem = null;
        if (method == SignatureMethod.RsaSha1)
        {
            (key, publicPem) = InteropKeys.Pick(this.random);
        }

        var token = Chance(0.25) ? null : Chance(0.5) ? RandomText(Alphanumerics, 30) : Pick(Tokens);
        var tokenSecret = token is null ? null : Chance(0.5) ? RandomText(Alphanumerics, 30) : Pick(Secrets);
        var realm = Chance(0.3) ? Pick(Realms) : null;
        var consumerSecret = Chance(0.4) ? RandomText(Alphanumerics + "&=+%/ ü", 24) : Pick(Secrets);
        return new OAuthCredentials(Pick(ConsumerKeys), consumerSecret, token, tokenSecret, method, key, realm);
    }

    private Uri NextUri(bool allowRealmName)
    {
        var builder = new StringBuilder();
        builder.Append(Pick(Schemes)).Append("://").Append(Pick(Hosts)).Append(Pick(Ports));
        var segments = this.random.Next(0, 5);
        for (var s = 0; s < segments; s++)
        {
            builder.Append('/');
            if (Chance(0.05))
            {
                builder.Append(Chance(0.5) ? "." : "..");
                continue;
            }

            var atoms = this.random.Next(0, 6);
            for (var a = 0; a < atoms; a++)
            {
                builder.Append(Pick(PathAtoms));
            }
        }

        if (Chance(0.15))
        {
            builder.Append('/');
        }

        // oauthlib's urlparse() drops an empty ";params" at the end of the path (a quirk we steer around).
        while (builder[^1] == ';')
        {
            builder.Append('x');
        }

        if (Chance(0.75))
        {
            builder.Append('?').Append(NextPairs(QueryAtoms, allowRealmName));
        }

        if (Chance(0.05))
        {
            builder.Append("#frag ment");
        }

        var uri = new Uri(builder.ToString());
        return uri.AbsolutePath.EndsWith(';') ? new Uri(uri.GetLeftPart(UriPartial.Path) + "x" + uri.Query) : uri;
    }

    /// <summary>"name=value" pairs with repeated names, empty values, bare flags, empty pairs and '=' in values.</summary>
    private string NextPairs(string[] atoms, bool allowRealmName)
    {
        var pairs = new List<string>();
        var count = this.random.Next(0, 7);
        for (var p = 0; p < count; p++)
        {
            var name = allowRealmName && Chance(0.1) ? "realm" : Pick(Names);
            var shape = this.random.Next(20);
            if (shape == 0)
            {
                pairs.Add(name); // bare flag: signs as "name="
            }
            else if (shape == 1)
            {
                pairs.Add(""); // empty pair: skipped
            }
            else if (shape == 2)
            {
                pairs.Add("=" + NextValue(atoms)); // empty name
            }
            else
            {
                pairs.Add(name + "=" + NextValue(atoms));
            }
        }

        return string.Join('&', pairs);
    }

    private string NextValue(string[] atoms)
    {
        var value = new StringBuilder();
        var count = this.random.Next(0, 5);
        for (var a = 0; a < count; a++)
        {
            value.Append(Pick(atoms));
        }

        return value.ToString();
    }

    private (string? ContentType, string? Body, IReadOnlyList<KeyValuePair<string, string>>? FormPairs) NextBody(string method, bool viaHandler)
    {
        var canHaveBody = method is "POST" or "PUT" or "PATCH" or "patch" || (method is "DELETE" or "GET" && Chance(0.1));
        if (!canHaveBody || Chance(0.2))
        {
            return (null, null, null);
        }

        switch (this.random.Next(10))
        {
            case < 5:
                var formType = Pick(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded;charset=UTF-8"]);
                return (formType, NextPairs(FormAtoms, allowRealmName: false), null);
            case < 7 when viaHandler:
                // FormUrlEncodedContent encodes arbitrary text itself.
                List<KeyValuePair<string, string>> pairs = [];
                for (var p = this.random.Next(0, 5); p > 0; p--)
                {
                    pairs.Add(new(OAuthEncoding.PercentDecode(Pick(Names)), OAuthEncoding.PercentDecode(NextValue(QueryAtoms))));
                }

                return ("application/x-www-form-urlencoded", null, pairs);
            case < 9:
                return (Pick(["application/json", "application/json; charset=utf-8"]), "{\"q\":\"a=b&c=d\",\"n\":[1,2],\"u\":\"ü\",\"e\":\"" + NextValue(FormAtoms) + "\"}", null);
            default:
                return ("text/plain; charset=utf-8", "a=1&b=" + NextValue(FormAtoms), null);
        }
    }

    private bool Chance(double probability) => this.random.NextDouble() < probability;

    private T Pick<T>(T[] items) => items[this.random.Next(items.Length)];

    private string RandomText(string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[this.random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
