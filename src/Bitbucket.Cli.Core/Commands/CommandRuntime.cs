namespace Bitbucket.Cli.Core.Commands;

/// <summary>Runs API calls for commands: HTTP pipeline, body, output, pagination, exit codes.</summary>
public sealed class CommandRuntime
{
    public Task<int> RunEndpointAsync(
        EndpointInfo endpoint,
        CommonOptions common,
        BodyOptions? body,
        Func<HttpClient, HttpContent?, CancellationToken, Task<HttpResponseMessage>> send)
        => throw new NotImplementedException("filled in by the runtime work");
}
