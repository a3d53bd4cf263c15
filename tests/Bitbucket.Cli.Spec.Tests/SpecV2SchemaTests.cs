namespace Bitbucket.Cli.Spec.Tests;

/// <summary>Spec format v2 in the schema and the generator: a valid v2 document is accepted by both, as is the same document as v1.</summary>
public sealed class SpecV2SchemaTests
{
    private const string ValidV2 = """
        {
          "specVersion": 2,
          "apis": {
            "cloud": {
              "name": "Bitbucket Cloud", "baseUrl": "https://api.bitbucket.org", "paging": "next",
              "oauth": { "requestToken": "/api/1.0/oauth/request_token", "authorize": "/api/1.0/oauth/authenticate", "accessToken": "/api/1.0/oauth/access_token", "signatureMethod": "HMAC-SHA1" },
              "currentUser": "/2.0/user"
            },
            "datacenter": {
              "name": "Bitbucket Data Center", "paging": "start-limit",
              "oauth": { "requestToken": "/plugins/servlet/oauth/request-token", "authorize": "/plugins/servlet/oauth/authorize", "accessToken": "/plugins/servlet/oauth/access-token", "signatureMethod": "RSA-SHA1" },
              "currentUser": "/plugins/servlet/applinks/whoami", "probe": "/rest/api/latest/application-properties"
            }
          },
          "groups": { "repos": { "description": "Repositories" } },
          "endpoints": [
            { "group": "repos", "name": "get", "method": "GET", "path": "/2.0/repositories/{workspace}/{repo_slug}", "summary": "Show one repository",
              "parameters": [ { "name": "workspace", "in": "path" }, { "name": "repo_slug", "in": "path" } ] },
            { "api": "datacenter", "group": "repos", "name": "get", "method": "GET", "path": "/rest/api/latest/projects/{project_key}/repos/{repo_slug}", "summary": "Show one repository",
              "parameters": [ { "name": "project_key", "in": "path" }, { "name": "repo_slug", "in": "path" }, { "name": "limit", "in": "query", "type": "integer", "option": "page-size" } ] }
          ]
        }
        """;

    [Fact]
    public void A_valid_v2_spec_with_both_apis_is_accepted_by_both()
    {
        Assert.Empty(SpecSchema.Validate(ValidV2));
        Assert.Empty(GeneratorRunner.Run(ValidV2).Diagnostics);
    }

    [Fact]
    public void The_schema_tells_v1_from_v2_by_specVersion()
    {
        var asV1 = ValidV2.Replace("\"specVersion\": 2", "\"specVersion\": 1", StringComparison.Ordinal);

        Assert.NotEmpty(SpecSchema.Validate(asV1));
        Assert.NotEmpty(GeneratorRunner.Run(asV1).Diagnostics);
    }
}
