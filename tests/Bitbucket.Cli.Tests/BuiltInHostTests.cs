using System.Text.Json;
using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>The built-in bitbucket.org host's API origin is the spec's <c>api.baseUrl</c>, not a second copy of it.</summary>
public sealed class BuiltInHostTests
{
    [Fact]
    public async Task Without_configuration_requests_go_to_the_specs_base_url()
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(BbProcess.RepoRoot, "api-spec.json")));
        var baseUrl = new Uri(spec.RootElement.GetProperty("apis").GetProperty("cloud").GetProperty("baseUrl").GetString()!);
        using var bb = new BbProcess();

        var result = await bb.RunAsync("api", "/2.0/user", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"> GET {baseUrl.AbsolutePath.TrimEnd('/')}/2.0/user HTTP/", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"> Host: {baseUrl.Authority}", result.Stderr, StringComparison.Ordinal);
    }
}
