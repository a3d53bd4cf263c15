namespace Bitbucket.Cli.Generator.Model;

/// <summary>Mirror of Bitbucket.Cli.Core.ApiFlavor: which API an endpoint belongs to.</summary>
internal enum Flavor
{
    Cloud,
    DataCenter,
}

/// <summary>Mirror of Bitbucket.Cli.Core.PagingStyle.</summary>
internal enum Paging
{
    NextLink,
    StartLimit,
}

/// <summary>
/// One entry of the spec's <c>apis</c> (or the single v1 <c>api</c>), emitted as an
/// <c>ApiDescription</c> in <c>GeneratedApis.All</c>.
/// </summary>
/// <param name="SignatureMethod">Member name of Bitbucket.Cli.Core.OAuth.SignatureMethod (<c>HmacSha1</c>).</param>
internal sealed record ApiModel(
    Flavor Flavor,
    string Name,
    string? BaseUrl,
    Paging Paging,
    string RequestTokenPath,
    string AuthorizePath,
    string AccessTokenPath,
    string SignatureMethod,
    string CurrentUserPath,
    string? ProbePath)
{
    /// <summary>What a specVersion 1 file means: Bitbucket Cloud with its OAuth 1.0a paths and <c>next</c> paging.</summary>
    public static ApiModel CloudDefaults(string name, string baseUrl) => new(
        Flavor.Cloud,
        name,
        baseUrl,
        Paging.NextLink,
        "/api/1.0/oauth/request_token",
        "/api/1.0/oauth/authenticate",
        "/api/1.0/oauth/access_token",
        "HmacSha1",
        "/2.0/user",
        null);
}

internal static class FlavorExtensions
{
    /// <summary>The key in <c>apis</c> and the value of an endpoint's <c>api</c>.</summary>
    public static string SpecName(this Flavor flavor) => flavor == Flavor.DataCenter ? "datacenter" : "cloud";

    /// <summary>Prefix of generated class and member names: none for Cloud (the names bb always had).</summary>
    public static string NamePrefix(this Flavor flavor) => flavor == Flavor.DataCenter ? "DataCenter" : string.Empty;
}
