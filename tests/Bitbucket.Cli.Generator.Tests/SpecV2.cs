namespace Bitbucket.Cli.Generator.Tests;

/// <summary>Small valid specVersion 2 specs: both APIs declared, the groups of <see cref="SpecBuilder"/>, and the endpoints under test.</summary>
internal static class SpecV2
{
    public const string CloudApi = """
            "cloud": {
              "name": "Bitbucket Cloud",
              "baseUrl": "https://api.bitbucket.org",
              "paging": "next",
              "oauth": { "requestToken": "/api/1.0/oauth/request_token", "authorize": "/api/1.0/oauth/authenticate", "accessToken": "/api/1.0/oauth/access_token", "signatureMethod": "HMAC-SHA1" },
              "currentUser": "/2.0/user"
            }
        """;

    public const string DataCenterApi = """
            "datacenter": {
              "name": "Bitbucket Data Center",
              "paging": "start-limit",
              "oauth": { "requestToken": "/plugins/servlet/oauth/request-token", "authorize": "/plugins/servlet/oauth/authorize", "accessToken": "/plugins/servlet/oauth/access-token", "signatureMethod": "RSA-SHA1" },
              "currentUser": "/plugins/servlet/applinks/whoami",
              "probe": "/rest/api/latest/application-properties"
            }
        """;

    /// <summary>A spec declaring <paramref name="apis"/> (the inside of <c>"apis"</c>) with the given endpoints.</summary>
    public static string WithApis(string apis, params string[] endpoints) => $$"""
        {
          "specVersion": 2,
          "apis": {
        {{apis}}
          },
          "groups": {
            "repos": { "description": "Repositories" },
            "pull-requests": { "description": "Pull requests" }
          },
          "endpoints": [
        {{string.Join(",\n", endpoints)}}
          ]
        }

        """;

    /// <summary>Both APIs, Cloud first.</summary>
    public static string WithEndpoints(params string[] endpoints) => WithApis(CloudApi + ",\n" + DataCenterApi, endpoints);

    /// <summary>A valid Data Center endpoint in group "repos" (<see cref="SpecBuilder.Endpoint"/> plus <c>"api": "datacenter"</c>).</summary>
    public static string DataCenterEndpoint(string name = "list", string path = "/rest/api/latest/projects/{project_key}/repos", string parameters = """[ { "name": "project_key", "in": "path" } ]""", string extra = "")
        => SpecBuilder.Endpoint(name, path, parameters, "\"api\": \"datacenter\"" + (extra.Length > 0 ? ", " + extra : string.Empty));
}
