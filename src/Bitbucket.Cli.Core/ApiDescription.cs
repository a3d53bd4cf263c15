using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.Core;

/// <summary>How a flavour's list responses are paged.</summary>
public enum PagingStyle
{
    /// <summary>Bitbucket Cloud: <c>{"values": […], "next": "URL"}</c>; follow <c>next</c> exactly as given.</summary>
    NextLink,

    /// <summary>Bitbucket Data Center: <c>{"values": […], "isLastPage": false, "nextPageStart": 25}</c>; ask again with <c>start=nextPageStart</c>.</summary>
    StartLimit,
}

/// <summary>
/// What api-spec.json says about one API (one flavour) as a whole: the defaults a login to a host of
/// that flavour starts from, and how its lists are paged. Generated as <c>GeneratedApis.All</c>.
/// </summary>
/// <param name="Flavor">The flavour this API is.</param>
/// <param name="Name">For people, e.g. "Bitbucket Data Center".</param>
/// <param name="DefaultBaseUrl">The default API origin (Cloud's built-in host); null when there is none (Data Center: every server has its own).</param>
/// <param name="Paging">How lists are paged.</param>
/// <param name="RequestTokenPath">OAuth 1.0a request-token endpoint, relative to the host's API URL (context path included).</param>
/// <param name="AuthorizePath">OAuth 1.0a authorize endpoint, relative to the host's API URL.</param>
/// <param name="AccessTokenPath">OAuth 1.0a access-token endpoint, relative to the host's API URL.</param>
/// <param name="SignatureMethod">The signature method a login uses unless told otherwise.</param>
/// <param name="CurrentUserPath">The endpoint that says who is logged in, relative to the host's API URL.</param>
/// <param name="ProbePath">An endpoint that answers without authentication only on a server of this flavour (recognising a new host), or null.</param>
public sealed record ApiDescription(
    ApiFlavor Flavor,
    string Name,
    string? DefaultBaseUrl,
    PagingStyle Paging,
    string RequestTokenPath,
    string AuthorizePath,
    string AccessTokenPath,
    SignatureMethod SignatureMethod,
    string CurrentUserPath,
    string? ProbePath);
