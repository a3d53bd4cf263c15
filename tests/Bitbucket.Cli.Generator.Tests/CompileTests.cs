using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// The generated code must compile without a single warning against the real Refit, Cocona and Core,
/// and Refit's own generator must be able to stub it the way the tool project does (design (a)).
/// </summary>
public sealed class CompileTests
{
    public static TheoryData<string> Specs => new() { "fixture" };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Generated_code_compiles_without_warnings(string spec)
    {
        var compilation = GeneratedCode.Compile(GeneratedCode.SpecText(spec));

        var diagnostics = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
    }

    [Fact]
    public async Task Refit_stubs_an_interface_that_inherits_the_generated_one_and_sends_the_expected_request()
    {
        var stub = RefitStub.Create(GeneratedCode.SpecText("fixture"));

        object?[] args = ["my ws", "repo", "7", "a = \"b\"", null, "50", null, "OPEN", "req-1", CancellationToken.None];
        var response = await stub.InvokeAsync("PullRequestsListComments", args);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(stub.Handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://api.test/2.0/repositories/my%20ws/repo/pullrequests/7/comments?q=a%20%3D%20%22b%22&pagelen=50&state=OPEN", request.RequestUri!.AbsoluteUri);
        Assert.Equal("req-1", Assert.Single(request.Headers.GetValues("X-Request-Id")));
    }

    internal sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}

/// <summary>
/// The generated API compiled from a spec, stubbed by Refit's own generator through an interface that
/// inherits it (as the tool project does), and a client over a recording handler.
/// </summary>
internal sealed class RefitStub
{
    private RefitStub(object client, Type api, CompileTests.RecordingHandler handler)
    {
        Client = client;
        Api = api;
        Handler = handler;
    }

    public object Client { get; }

    public Type Api { get; }

    public CompileTests.RecordingHandler Handler { get; }

    public static RefitStub Create(string specText)
    {
        var api = GeneratedCode.Compile(specText);
        var apiImage = GeneratedCode.EmitImage(api);
        // Refit's registration code is under #if NET5_0_OR_GREATER, so define what a net10.0 build defines.
        var parseOptions = GeneratorHarness.ParseOptions.WithPreprocessorSymbols("NET", "NET5_0_OR_GREATER", "NET8_0_OR_GREATER", "NET10_0", "NET10_0_OR_GREATER");
        var tool = CSharpCompilation.Create(
            "bb",
            [CSharpSyntaxTree.ParseText("public interface IBitbucketClient : Bitbucket.Cli.Api.IBitbucketApi { }", parseOptions)],
            [.. CompileReferences.All, MetadataReference.CreateFromImage(apiImage)],
            GeneratedCode.Options);

        GeneratorDriver driver = CSharpGeneratorDriver.Create(RefitGenerator.Load(), parseOptions: parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(tool, out var stubbed, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var errors = stubbed.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var context = new InMemoryLoadContext();
        var apiAssembly = context.Add(apiImage);
        var toolAssembly = context.Add(GeneratedCode.EmitImage((CSharpCompilation)stubbed));
        var handler = new CompileTests.RecordingHandler();
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://api.test") };
        var clientType = toolAssembly.GetType("IBitbucketClient", throwOnError: true)!;
        // Refit registers generated clients from a module initializer; a dynamically loaded assembly runs it on first use.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(toolAssembly.ManifestModule.ModuleHandle);
        var client = Refit.RestService.ForGenerated(clientType, http, new Refit.RefitSettings());
        return new RefitStub(client, apiAssembly.GetType("Bitbucket.Cli.Api.IBitbucketApi", throwOnError: true)!, handler);
    }

    /// <summary>Calls the generated API method <paramref name="member"/> on the Refit client.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string member, object?[] args)
        => (Task<HttpResponseMessage>)Api.GetMethod(member)!.Invoke(Client, args)!;
}

/// <summary>Generates and compiles code from a spec, for the compile and command-line tests.</summary>
internal static class GeneratedCode
{
    public static CSharpCompilationOptions Options => GeneratorHarness.CompilationOptions;

    public static string SpecText(string name) => name switch
    {
        "fixture" => File.ReadAllText(TestPaths.Fixture("everything.json")),
        "real" => File.ReadAllText(TestPaths.RealSpec),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The generated sources plus <paramref name="extraSources"/>, as the Api project would compile them.</summary>
    public static CSharpCompilation Compile(string spec, params string[] extraSources)
    {
        var (result, compilation) = GeneratorHarness.RunAndCompile(spec, extraSources);
        Assert.Empty(result.Diagnostics);
        return compilation;
    }

    public static byte[] EmitImage(CSharpCompilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return stream.ToArray();
    }
}

/// <summary>Loads in-memory assemblies that reference each other; everything else comes from the test's own context.</summary>
internal sealed class InMemoryLoadContext() : AssemblyLoadContext(isCollectible: true)
{
    private readonly Dictionary<string, Assembly> assemblies = new(StringComparer.Ordinal);

    public Assembly Add(byte[] image)
    {
        using var stream = new MemoryStream(image);
        var assembly = LoadFromStream(stream);
        this.assemblies[assembly.GetName().Name!] = assembly;
        return assembly;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
        => this.assemblies.GetValueOrDefault(assemblyName.Name!);
}

/// <summary>Refit's source generator, from the Refit package the tests reference (the tool project runs the same one).</summary>
internal static class RefitGenerator
{
    public static ISourceGenerator[] Load()
    {
        // The package folder comes from MSBuild ($(PkgRefit)), see the csproj.
        var package = typeof(RefitGenerator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RefitPackagePath").Value!;
        var path = Directory.GetFiles(Path.Combine(package, "analyzers"), "InterfaceStubGeneratorV2.dll", SearchOption.AllDirectories).Single();
        var assembly = Assembly.LoadFrom(path);
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t))
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToArray();
    }
}
