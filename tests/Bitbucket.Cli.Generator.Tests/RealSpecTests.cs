using System.Reflection;
using Cocona;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// The real api-spec.json is checked by properties that hold for any valid spec (<see cref="SpecProperties"/>),
/// not against a copy of its generated code: adding or editing an endpoint never fails a test by itself.
/// The exact generated text is pinned for the purpose-made fixtures instead (<see cref="BaselineTests"/>).
/// </summary>
public sealed class RealSpecTests
{
    /// <summary>A new entry written by hand the way docs/adding-endpoints.md shows it: ordinary indented JSON.</summary>
    internal const string HandWrittenEndpoint = """
            {
              "group": "prs",
              "name": "tasks-for-test",
              "method": "GET",
              "path": "/2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/tasks-for-test",
              "summary": "List a pull request's tasks",
              "description": "Lists the tasks reviewers opened on a pull request, resolved or not.",
              "example": "bb prs tasks-for-test myteam api 42",
              "paginated": true,
              "columns": ["id", "state", "content.raw"],
              "parameters": [
                { "name": "workspace", "in": "path", "type": "string", "description": "Workspace slug or UUID" },
                { "name": "repo_slug", "in": "path", "type": "string", "description": "Repository slug" },
                { "name": "pull_request_id", "in": "path", "type": "integer", "description": "Pull request ID" },
                { "name": "q", "in": "query", "type": "string", "description": "Filter" },
                { "name": "state", "in": "query", "type": "enum", "values": ["RESOLVED", "UNRESOLVED"], "description": "Only tasks in this state" }
              ]
            }
        """;

    internal static string RealSpec { get; } = File.ReadAllText(TestPaths.RealSpec);

    internal static Lazy<SpecCheck> RealCheck { get; } = new(() => SpecProperties.Check(RealSpec));

    [Fact]
    public void Every_endpoint_of_the_real_spec_has_every_property()
    {
        var check = RealCheck.Value;

        Assert.Empty(check.Violations);
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(RealSpec)!["endpoints"]!.AsArray().Count, check.Endpoints.Count);
    }

    [Fact]
    public void A_new_endpoint_written_by_hand_in_indented_json_has_every_property_too()
    {
        // Pasted as the first entry of "endpoints", as text: the file's own layout is left as it is.
        var open = RealSpec.IndexOf('[', RealSpec.IndexOf("\"endpoints\"", StringComparison.Ordinal)) + 1;
        // Into whichever group the spec declares first, so no particular group has to exist.
        var group = System.Text.Json.Nodes.JsonNode.Parse(RealSpec)!["groups"]!.AsObject().First().Key;
        var entry = HandWrittenEndpoint.Replace("\"group\": \"prs\"", $"\"group\": \"{group}\"", StringComparison.Ordinal);
        var extended = RealSpec[..open] + "\n" + entry + "," + RealSpec[open..];

        var check = SpecProperties.Check(extended);

        Assert.Empty(check.Violations);
        var added = Assert.Single(check.Endpoints, e => e.Group == group && e.Name == "tasks-for-test");
        Assert.Equal(RealCheck.Value.Endpoints.Count + 1, check.Endpoints.Count);
        Assert.Equal(["q", "state"], added.Options.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Specs => new() { "real", "fixture" };

    /// <summary>The fixture adds what the real spec lacks (header parameters, form bodies, odd names).</summary>
    [Theory]
    [MemberData(nameof(Specs))]
    public async Task Every_parameter_of_every_endpoint_reaches_the_request_through_refit(string spec)
    {
        var text = GeneratedCode.SpecText(spec);
        var check = spec == "real" ? RealCheck.Value : SpecProperties.Check(text);
        Assert.Empty(check.Violations);
        var stub = RefitStub.Create(text);
        var failures = new List<string>();
        foreach (var endpoint in check.Endpoints)
        {
            var method = stub.Api.GetMethod(endpoint.ApiMethod)!;
            var args = method.GetParameters().Select(p => (object?)(
                p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : p.GetCustomAttribute<Refit.BodyAttribute>() is not null ? new StringContent("{}")
                : p.GetCustomAttribute<Refit.HeaderAttribute>() is { } header ? "h-" + header.Header
                : p.GetCustomAttribute<Refit.QueryAttribute>() is not null ? "q-" + Alias(p)
                : $"v {Alias(p)}/x")).ToArray();
            stub.Handler.Requests.Clear();
            await stub.InvokeAsync(endpoint.ApiMethod, args);
            var request = Assert.Single(stub.Handler.Requests);

            // Expected from the spec alone: a '/' inside a value is a separator only for "slashes" parameters.
            var path = endpoint.Path;
            foreach (var (name, _, slashes) in endpoint.Parameters.Where(p => p.In == "path"))
            {
                path = path.Replace("{" + name + "}", slashes ? $"v%20{name}/x" : $"v%20{name}%2Fx", StringComparison.Ordinal);
            }

            var uri = request.RequestUri!.AbsoluteUri;
            var query = uri.Contains('?', StringComparison.Ordinal)
                ? uri[(uri.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&').Select(Uri.UnescapeDataString).ToHashSet(StringComparer.Ordinal)
                : [];
            var problems = new List<string>();
            if (request.Method.Method != endpoint.Method)
            {
                problems.Add("method " + request.Method);
            }

            if (uri.Split('?')[0] != "https://api.test" + path)
            {
                problems.Add("path " + uri.Split('?')[0]);
            }

            problems.AddRange(endpoint.Parameters.Where(p => p.In == "query" && !query.Contains($"{p.Name}=q-{p.Name}")).Select(p => "query " + p.Name));
            if ((request.Content is not null) != endpoint.HasBody)
            {
                problems.Add(endpoint.HasBody ? "no body" : "a body");
            }

            problems.AddRange(endpoint.Parameters.Where(p => p.In == "header" && !(request.Headers.TryGetValues(p.Name, out var values) && values.Single() == "h-" + p.Name)).Select(p => "header " + p.Name));
            if (problems.Count > 0)
            {
                failures.Add($"{endpoint.Group} {endpoint.Name} ({uri}): {string.Join(", ", problems)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Alias(ParameterInfo parameter) => parameter.GetCustomAttribute<Refit.AliasAsAttribute>()?.Name ?? parameter.Name!;
}

/// <summary><c>bb &lt;group&gt; &lt;name&gt; --help</c> for every endpoint of the real spec, through real Cocona and EndpointHelp.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class RealSpecHelpTests
{
    /// <summary>What Cocona returns after printing help (bb keeps it).</summary>
    private const int CoconaHelpExitCode = 129;

    [Fact]
    public void Every_endpoint_has_a_command_whose_help_shows_its_summary_route_and_every_parameter()
    {
        var assembly = new InMemoryLoadContext().Add(GeneratedCode.EmitImage(GeneratedCode.Compile(RealSpecTests.RealSpec)));
        var all = (IEnumerable<Bitbucket.Cli.Core.Commands.EndpointInfo>)assembly.GetType("Bitbucket.Cli.Api.GeneratedEndpoints", throwOnError: true)!
            .GetProperty("All")!.GetValue(null)!;
        var register = assembly.GetType("Bitbucket.Cli.Api.GeneratedCommands", throwOnError: true)!.GetMethod("Register")!;
        var failures = new List<string>();
        try
        {
            // A run registers one flavour's commands and catalogue, as bb does for its host.
            foreach (var endpoint in RealSpecTests.RealCheck.Value.Endpoints)
            {
                Bitbucket.Cli.Core.ApiFlavors.TryParse(endpoint.Api, out var flavor);
                Bitbucket.Cli.Core.Commands.EndpointCatalog.Register(all.Where(e => e.Flavor == flavor));
                var (exit, help) = Run(register, flavor, endpoint.Group, endpoint.Name, "--help");
                var missing = new[] { endpoint.Summary, $"{endpoint.Method} {endpoint.Path}" }
                    .Concat(endpoint.Options.Select(o => "--" + o))
                    .Concat(endpoint.Arguments)
                    .Where(text => !help.Contains(text, StringComparison.Ordinal))
                    .ToList();
                if (exit != CoconaHelpExitCode || missing.Count > 0)
                {
                    failures.Add($"bb {endpoint.Group} {endpoint.Name} --help: exit {exit}, missing [{string.Join(", ", missing)}]\n{help}");
                }
            }
        }
        finally
        {
            Bitbucket.Cli.Core.Commands.EndpointCatalog.Register([]);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
    }

    private static (int ExitCode, string Output) Run(MethodInfo register, Bitbucket.Cli.Core.ApiFlavor flavor, params string[] args)
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        var originalExitCode = Environment.ExitCode;
        var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var builder = CoconaApp.CreateBuilder(args);
            var app = builder.Build();
            register.Invoke(null, [app, flavor]);
            Environment.ExitCode = 0;
            app.Run();
            return (Environment.ExitCode, output.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            Environment.ExitCode = originalExitCode;
        }
    }
}
