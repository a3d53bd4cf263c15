using System.Text.Json.Nodes;
using Bitbucket.Cli.OpenApiImport;

namespace Bitbucket.Cli.Spec.Tests;

/// <summary>The importer's command line: arguments, files, report and exit codes.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private const string OpenApi = """
        openapi: 3.0.1
        info: { title: Tiny, version: "1" }
        servers: [{ url: https://api.example.com/2.0 }]
        paths:
          /user: { get: { tags: [users] } }
          /upload:
            post:
              tags: [files]
              requestBody: { content: { multipart/form-data: { schema: { type: object } } } }
        """;

    private readonly string dir = Directory.CreateTempSubdirectory("bb-import-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Imports_into_a_new_spec_and_reports_each_operation()
    {
        var (code, stdout, stderr) = Run(Write("openapi.yml", OpenApi), "--spec", Path.Combine(dir, "spec.json"));

        Assert.Equal(ImportCommand.Ok, code);
        Assert.Empty(stdout);
        Assert.Equal(
            [
                "skipped   POST /2.0/upload: request body type multipart/form-data is not supported (json and form only)",
                "imported  GET /2.0/user: users get",
                "summary: 2 selected, 1 imported, 0 refreshed, 0 kept, 1 skipped, 0 fixed",
            ],
            Lines(stderr));
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "spec.json")))!;
        Assert.Equal("users", (string?)spec["endpoints"]![0]!["group"]);
        Assert.EndsWith("}\n", File.ReadAllText(Path.Combine(dir, "spec.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_writes_nothing_and_out_dash_prints_the_spec()
    {
        var input = Write("openapi.yml", OpenApi);
        var spec = Path.Combine(dir, "spec.json");

        Assert.Equal(ImportCommand.Ok, Run(input, "--spec", spec, "--dry-run").Code);
        Assert.False(File.Exists(spec));

        var (code, stdout, _) = Run(input, "--spec", spec, "--out", "-", "--tag", "users");
        Assert.Equal(ImportCommand.Ok, code);
        Assert.Equal("/2.0/user", (string?)JsonNode.Parse(stdout)!["endpoints"]![0]!["path"]);
        Assert.False(File.Exists(spec));
    }

    [Fact]
    public void Merges_into_an_existing_spec_in_place()
    {
        var spec = Write("api-spec.json", """
            {
              "specVersion": 1,
              "api": { "name": "Bitbucket", "baseUrl": "https://api.bitbucket.org" },
              "groups": { "user": { "description": "You" } },
              "endpoints": [
                { "group": "user", "name": "get", "method": "GET", "path": "/2.0/user", "summary": "Show the current user" }
              ]
            }
            """);
        var (code, _, stderr) = Run(Write("openapi.json", """{ "openapi": "3.0.1", "servers": [{ "url": "https://api.example.com/2.0" }], "paths": { "/user": { "get": {} }, "/user/emails": { "get": {} } } }"""), "--spec", spec);

        Assert.Equal(ImportCommand.Ok, code);
        Assert.Contains("kept      GET /2.0/user: hand-written entry user get wins", Lines(stderr));
        var endpoints = JsonNode.Parse(File.ReadAllText(spec))!["endpoints"]!.AsArray();
        Assert.Equal(["user get", "user list-emails"], endpoints.Select(e => $"{e!["group"]} {e["name"]}"));
        Assert.Equal("Show the current user", (string?)endpoints[0]!["summary"]);
    }

    [Fact]
    public void Api_flag_decides_the_flavour_and_an_existing_v1_spec_becomes_v2()
    {
        var spec = Write("api-spec.json", """
            {
              "specVersion": 1,
              "api": { "name": "Bitbucket", "baseUrl": "https://api.bitbucket.org" },
              "groups": { "user": { "description": "You" } },
              "endpoints": [
                { "group": "user", "name": "get", "method": "GET", "path": "/2.0/user", "summary": "Show the current user" }
              ]
            }
            """);
        // A relative server URL says nothing about the flavour: the flag does.
        var input = Write("dc.json", """{ "openapi": "3.0.1", "servers": [{ "url": "/rest" }], "paths": { "/api/latest/users/{userSlug}": { "get": {} } } }""");

        var (code, _, stderr) = Run(input, "--spec", spec, "--api", "cloud");
        Assert.Equal(ImportCommand.Ok, code);
        Assert.Contains("imported  GET /rest/api/latest/users/{userSlug}: api get-latest-user", Lines(stderr));

        var (dcCode, _, dcStderr) = Run(input, "--spec", spec, "--out", Path.Combine(dir, "dc-spec.json"), "--api", "datacenter");
        Assert.Equal(ImportCommand.Ok, dcCode);
        Assert.Contains("imported  GET /rest/api/latest/users/{user_slug}: server get-user", Lines(dcStderr));
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "dc-spec.json")))!;
        Assert.Equal(2, (int)written["specVersion"]!);
        Assert.Null(written["api"]);
        Assert.Equal(["cloud", "datacenter"], written["apis"]!.AsObject().Select(a => a.Key));
        Assert.Equal("https://api.bitbucket.org", (string?)written["apis"]!["cloud"]!["baseUrl"]);
        var writtenEndpoints = written["endpoints"]!.AsArray();
        Assert.Equal("datacenter", (string?)writtenEndpoints[writtenEndpoints.Count - 1]!["api"]);
        Assert.Null(written["endpoints"]![0]!["api"]);
        Assert.Empty(GeneratorRunner.Run(written.ToJsonString()).Diagnostics.Select(GeneratorRunner.Describe));
    }

    [Theory]
    [InlineData(new string[0], "missing the OpenAPI document")]
    [InlineData(new[] { "a.yml" }, "missing --spec FILE")]
    [InlineData(new[] { "a.yml", "--spec" }, "--spec needs a value")]
    [InlineData(new[] { "a.yml", "--spec", "s.json", "--frobnicate" }, "unknown option --frobnicate")]
    [InlineData(new[] { "a.yml", "b.yml", "--spec", "s.json" }, "unexpected argument b.yml")]
    [InlineData(new[] { "a.yml", "--spec", "s.json", "--group", "Pull Requests" }, "--group must be kebab-case, e.g. pull-requests")]
    [InlineData(new[] { "a.yml", "--spec", "s.json", "--api", "server" }, "--api must be cloud or datacenter")]
    [InlineData(new[] { "a.yml", "--spec", "s.json", "--api" }, "--api needs a value")]
    public void Usage_errors_exit_2(string[] args, string message)
    {
        var (code, _, stderr) = Run(args);
        Assert.Equal(ImportCommand.Usage, code);
        Assert.Equal($"error: {message}", Lines(stderr)[0]);
    }

    [Fact]
    public void Help_exits_0()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(ImportCommand.Ok, code);
        Assert.Contains("--path-prefix", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_input_exits_1()
    {
        Assert.Equal(ImportCommand.Error, Run(Path.Combine(dir, "missing.yml"), "--spec", "s.json").Code);
        Assert.Equal(ImportCommand.Error, Run(Write("bad.yml", "paths: [oops"), "--spec", "s.json").Code);
        Assert.Equal(ImportCommand.Error, Run(Write("nopaths.yml", "openapi: 3.0.1"), "--spec", "s.json").Code);
        Assert.Equal(ImportCommand.Error, Run(Write("ok.yml", OpenApi), "--spec", Write("broken.json", "{ \"endpoints\": ")).Code);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = ImportCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
