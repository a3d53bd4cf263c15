using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli;

/// <summary>
/// PROVISIONAL: the two API descriptions exactly as api-spec.json (format v2) states them, until the
/// generator emits them. Replaced by <c>Bitbucket.Cli.Api.GeneratedApis.All</c> when it does (the one
/// registration line in <see cref="BbApp"/> changes; this file is deleted).
/// </summary>
internal static class ProvisionalApis
{
    public static IReadOnlyList<ApiDescription> All { get; } =
    [
        new(
            ApiFlavor.Cloud,
            "Bitbucket Cloud",
            "https://api.bitbucket.org",
            PagingStyle.NextLink,
            "/api/1.0/oauth/request_token",
            "/api/1.0/oauth/authenticate",
            "/api/1.0/oauth/access_token",
            SignatureMethod.HmacSha1,
            "/2.0/user",
            null),
        new(
            ApiFlavor.DataCenter,
            "Bitbucket Data Center",
            null,
            PagingStyle.StartLimit,
            "/plugins/servlet/oauth/request-token",
            "/plugins/servlet/oauth/authorize",
            "/plugins/servlet/oauth/access-token",
            SignatureMethod.RsaSha1,
            "/plugins/servlet/applinks/whoami",
            "/rest/api/latest/application-properties"),
    ];
}
