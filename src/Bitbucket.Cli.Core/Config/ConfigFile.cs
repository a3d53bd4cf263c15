using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// The <c>hosts.json</c> format (version 1): pure conversion between bytes and <see cref="BbConfig"/>.
/// Strict on purpose: anything it does not understand is an error rather than data a later save
/// would silently drop.
/// </summary>
internal static class ConfigFile
{
    public const int CurrentVersion = 1;

    /// <summary>
    /// Relaxed escaping keeps URLs ('&amp;', '+') and non-ASCII names readable; the file is never
    /// embedded in HTML, where that escaping matters.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The signature methods a host may name (see <see cref="HostConfig.FindProblem"/>).</summary>
    internal static readonly SignatureMethod[] SignatureMethodsInFile =
        [SignatureMethod.HmacSha1, SignatureMethod.HmacSha256, SignatureMethod.Plaintext, SignatureMethod.RsaSha1];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <param name="builtIn">The built-in host the configuration always holds.</param>
    /// <exception cref="ConfigException">The bytes are not a valid configuration; the message names <paramref name="path"/>.</exception>
    public static BbConfig Parse(string path, ReadOnlySpan<byte> bytes, HostConfig builtIn)
    {
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        if (bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Invalid(path, "the file is empty");
        }

        // The version decides how to read the rest, so a newer file gets "upgrade bb", not a shape error.
        if (ProbeVersion(bytes) is > CurrentVersion and var newer)
        {
            throw new ConfigException($"{path} was written by a newer bb (version {newer}): upgrade bb; this one will not overwrite it");
        }

        var dto = Deserialize(path, bytes);
        var hostDtos = dto.Hosts ?? [];
        var names = HostNames(path, hostDtos);
        var hosts = ReadHosts(path, hostDtos);

        var defaultHost = dto.DefaultHost ?? builtIn.Name;
        if (!names.Contains(defaultHost) && !BbConfig.NameComparer.Equals(defaultHost, builtIn.Name))
        {
            throw Invalid(path, $"defaultHost '{defaultHost}' is not one of the hosts");
        }

        return new BbConfig(builtIn, defaultHost, hosts);
    }

    /// <summary>The file's object, of the current version; a JSON error names only the position.</summary>
    private static FileDto Deserialize(string path, ReadOnlySpan<byte> bytes)
    {
        FileDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(bytes, ConfigJsonContext.Default.FileDto);
        }
        catch (JsonException e)
        {
            // Only the position: the exception's own message can quote the file's content.
            var line = e.LineNumber is { } zeroBased ? $"line {zeroBased + 1}" : "unreadable JSON";
            throw Invalid(path, e.Path is { Length: > 1 } jsonPath ? $"{line}, at {jsonPath}" : line);
        }

        if (dto is null)
        {
            throw Invalid(path, "the file holds null");
        }

        if (dto.Version != CurrentVersion)
        {
            throw Invalid(path, $"version must be {CurrentVersion}");
        }

        return dto;
    }

    /// <summary>The host names, each once: two names that differ only in case are an error.</summary>
    private static HashSet<string> HostNames(string path, Dictionary<string, HostDto?> hostDtos)
    {
        var names = new HashSet<string>(BbConfig.NameComparer);
        foreach (var name in hostDtos.Keys)
        {
            if (!names.Add(name))
            {
                throw Invalid(path, $"two hosts are named '{name}' (names ignore case)");
            }
        }

        return names;
    }

    /// <summary>Every host, checked (see <see cref="HostConfig.FindProblem"/>).</summary>
    private static List<HostConfig> ReadHosts(string path, Dictionary<string, HostDto?> hostDtos)
    {
        var hosts = new List<HostConfig>();
        foreach (var (name, hostDto) in hostDtos)
        {
            if (hostDto is null)
            {
                throw Invalid(path, $"host '{name}' is null");
            }

            var (host, badMethod) = ToHost(path, name, hostDto);
            if (host.FindProblem(badMethod) is { } problem)
            {
                throw Invalid(path, problem);
            }

            hosts.Add(host);
        }

        return hosts;
    }

    /// <summary>Indented UTF-8 without BOM, hosts and accounts sorted by name, trailing newline.</summary>
    public static byte[] Serialize(BbConfig config)
    {
        var dto = new FileDto
        {
            Version = CurrentVersion,
            DefaultHost = config.DefaultHost,
            Hosts = config.Hosts.Values
                .Where(host => !IsPristineBuiltIn(host, config.BuiltIn))
                .OrderBy(host => host.Name, StringComparer.Ordinal)
                .ToDictionary(host => host.Name, HostDto? (host) => ToDto(host), StringComparer.Ordinal),
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, dto, ConfigJsonContext.Default.FileDto);
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>The file's version if it is a JSON object with a numeric version, whatever else it holds.</summary>
    private static int? ProbeVersion(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, ConfigJsonContext.Default.VersionDto)?.Version;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <returns>The host, and whether its signature method is not one bb knows (reported in <see cref="HostConfig.FindProblem"/>'s order).</returns>
    private static (HostConfig Host, bool BadMethod) ToHost(string path, string name, HostDto dto)
    {
        var flavor = ApiFlavor.Cloud;
        if (dto.Flavor is not null && !ApiFlavors.TryParse(dto.Flavor, out flavor))
        {
            throw Invalid(path, $"host '{name}': flavor must be \"cloud\" or \"datacenter\"");
        }

        var accounts = ImmutableDictionary.CreateBuilder<string, AccountCredentials>(BbConfig.NameComparer);
        foreach (var (username, account) in dto.Accounts ?? [])
        {
            if (account is null)
            {
                throw Invalid(path, $"host '{name}': account '{username}' is null");
            }

            var scheme = AuthScheme.OAuth1;
            if (account.Scheme is not null && !AuthSchemes.TryParse(account.Scheme, out scheme))
            {
                throw Invalid(path, $"host '{name}': account '{username}': scheme must be oauth1, oauth2, bearer or basic");
            }

            // Only OAuth 1.0a has a token secret; a missing one is reported by HostConfig.FindProblem.
            var credentials = new AccountCredentials(username, account.Token!, account.TokenSecret ?? (scheme == AuthScheme.OAuth1 ? null! : string.Empty))
            {
                Scheme = scheme,
                RefreshToken = account.RefreshToken,
                ExpiresAt = account.ExpiresAt,
            };
            if (!accounts.TryAdd(username, credentials))
            {
                throw Invalid(path, $"host '{name}': two accounts are named '{username}' (names ignore case)");
            }
        }

        // The one place the stored name becomes the enum: exact RFC 5849 spelling, as bb writes it. A loop, not LINQ
        // over the enum: every command reads this, and LINQ's iterators over a value type are JIT-compiled at start-up.
        SignatureMethod? method = null;
        foreach (var candidate in SignatureMethodsInFile)
        {
            if (SignatureMethods.ToWire(candidate) == dto.SignatureMethod)
            {
                method = candidate;
                break;
            }
        }

        // Missing strings become empty here and are reported by HostConfig.FindProblem.
        return (new HostConfig
        {
            Name = name,
            Flavor = flavor,
            ApiUrl = dto.ApiUrl ?? "",
            RequestTokenUrl = dto.RequestTokenUrl ?? "",
            AuthorizeUrl = dto.AuthorizeUrl ?? "",
            AccessTokenUrl = dto.AccessTokenUrl ?? "",
            SignatureMethod = method ?? SignatureMethod.HmacSha1,
            RsaKeyPath = dto.RsaKeyPath,
            UserPath = dto.UserPath,
            OAuth2AuthorizeUrl = dto.OAuth2AuthorizeUrl,
            OAuth2TokenUrl = dto.OAuth2TokenUrl,
            ConsumerKey = dto.ConsumerKey,
            ConsumerSecret = dto.ConsumerSecret,
            DefaultAccount = dto.DefaultAccount,
            Accounts = accounts.ToImmutable(),
        }, method is null);
    }

    private static HostDto ToDto(HostConfig host) => new()
    {
        Flavor = host.Flavor == ApiFlavor.Cloud ? null : ApiFlavors.ToName(host.Flavor),
        ApiUrl = host.ApiUrl,
        RequestTokenUrl = host.RequestTokenUrl,
        AuthorizeUrl = host.AuthorizeUrl,
        AccessTokenUrl = host.AccessTokenUrl,
        SignatureMethod = SignatureMethods.ToWire(host.SignatureMethod),
        RsaKeyPath = host.RsaKeyPath,
        UserPath = host.UserPath,
        OAuth2AuthorizeUrl = host.OAuth2AuthorizeUrl,
        OAuth2TokenUrl = host.OAuth2TokenUrl,
        ConsumerKey = host.ConsumerKey,
        ConsumerSecret = host.ConsumerSecret,
        DefaultAccount = host.DefaultAccount,
        Accounts = host.Accounts.Values
            .OrderBy(account => account.Username, StringComparer.Ordinal)
            .ToDictionary(
                account => account.Username,
                AccountDto? (account) => new AccountDto
                {
                    Scheme = account.Scheme == AuthScheme.OAuth1 ? null : AuthSchemes.ToName(account.Scheme),
                    Token = account.Token,
                    TokenSecret = account.Scheme == AuthScheme.OAuth1 ? account.TokenSecret : null,
                    RefreshToken = account.RefreshToken,
                    ExpiresAt = account.ExpiresAt,
                },
                StringComparer.Ordinal),
    };

    /// <summary>
    /// The built-in host untouched by the user is not written, so a later bb with different
    /// Bitbucket Cloud defaults is not stuck with stale copies.
    /// </summary>
    private static bool IsPristineBuiltIn(HostConfig host, HostConfig builtIn)
    {
        return host.Name == builtIn.Name
            && host.Flavor == builtIn.Flavor
            && host.ApiUrl == builtIn.ApiUrl
            && host.RequestTokenUrl == builtIn.RequestTokenUrl
            && host.AuthorizeUrl == builtIn.AuthorizeUrl
            && host.AccessTokenUrl == builtIn.AccessTokenUrl
            && host.SignatureMethod == builtIn.SignatureMethod
            && host.RsaKeyPath is null
            && host.UserPath is null
            && host.OAuth2AuthorizeUrl == builtIn.OAuth2AuthorizeUrl
            && host.OAuth2TokenUrl == builtIn.OAuth2TokenUrl
            && host.ConsumerKey is null
            && host.ConsumerSecret is null
            && host.Accounts.IsEmpty;
    }

    private static ConfigException Invalid(string path, string detail)
        => new($"{path} is not valid bb configuration ({detail}): fix or move it away; bb will not overwrite it");

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
    internal sealed class VersionDto
    {
        public int? Version { get; set; }
    }

    internal sealed class FileDto
    {
        public int Version { get; set; }

        public string? DefaultHost { get; set; }

        public Dictionary<string, HostDto?>? Hosts { get; set; }
    }

    internal sealed class HostDto
    {
        /// <summary><c>cloud</c> (the default, not written) or <c>datacenter</c>.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Flavor { get; set; }

        public string? ApiUrl { get; set; }

        public string? RequestTokenUrl { get; set; }

        public string? AuthorizeUrl { get; set; }

        public string? AccessTokenUrl { get; set; }

        public string? SignatureMethod { get; set; }

        public string? RsaKeyPath { get; set; }

        /// <summary>The current-user endpoint, when not Bitbucket Cloud's /2.0/user (written only when set).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? UserPath { get; set; }

        /// <summary>OAuth 2.0 endpoints (written only when set).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? OAuth2AuthorizeUrl { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? OAuth2TokenUrl { get; set; }

        public string? ConsumerKey { get; set; }

        public string? ConsumerSecret { get; set; }

        public string? DefaultAccount { get; set; }

        public Dictionary<string, AccountDto?>? Accounts { get; set; }
    }

    internal sealed class AccountDto
    {
        /// <summary><c>oauth1</c> (the default, not written), <c>oauth2</c>, <c>bearer</c> or <c>basic</c>.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Scheme { get; set; }

        public string? Token { get; set; }

        /// <summary>OAuth 1.0a only.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? TokenSecret { get; set; }

        /// <summary>OAuth 2.0 only.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? RefreshToken { get; set; }

        /// <summary>OAuth 2.0 only: when the access token expires.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public DateTimeOffset? ExpiresAt { get; set; }
    }
}

/// <summary>Source-generated (trim and AOT safe) serialization for <c>hosts.json</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ConfigFile.FileDto))]
[JsonSerializable(typeof(ConfigFile.VersionDto))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
