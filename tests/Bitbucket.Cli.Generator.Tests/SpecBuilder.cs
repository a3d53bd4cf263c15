namespace Bitbucket.Cli.Generator.Tests;

/// <summary>Small valid specs for tests: a fixed header with the groups, plus the endpoints under test.</summary>
internal static class SpecBuilder
{
    public const string Header = """
        {
          "specVersion": 1,
          "api": { "name": "Bitbucket", "baseUrl": "https://api.bitbucket.org" },
          "groups": {
            "repos": { "description": "Repositories" },
            "pull-requests": { "description": "Pull requests" }
          },
          "endpoints": [
        """;

    public static string WithEndpoints(params string[] endpoints) => Header + "\n" + string.Join(",\n", endpoints) + "\n  ]\n}\n";

    /// <summary>A valid endpoint in group "repos"; <paramref name="extra"/> adds or overrides keys (later keys are appended).</summary>
    public static string Endpoint(string name = "list", string path = "/2.0/repositories/{workspace}", string parameters = """[ { "name": "workspace", "in": "path" } ]""", string extra = "")
        => $$"""
            {
              "group": "repos",
              "name": "{{name}}",
              "method": "GET",
              "path": "{{path}}",
              "summary": "Summary of {{name}}",
              "parameters": {{parameters}}{{(extra.Length > 0 ? ",\n      " + extra : "")}}
            }
        """;
}
