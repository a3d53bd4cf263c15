namespace Bitbucket.Cli.Core.Commands;

/// <summary>Creates the Refit client over an already-configured, signing <see cref="HttpClient"/>.</summary>
/// <remarks>Implemented in the tool project, where Refit's generator stubs the generated interfaces.</remarks>
public interface IRefitClientFactory<out TApi>
    where TApi : class
{
    TApi Create(HttpClient client);
}

/// <summary>
/// The single entry point generated commands call: builds the signed HTTP pipeline for the selected
/// host, builds the body, calls the Refit method, then prints, paginates and maps errors to exit codes.
/// </summary>
public sealed class ApiInvoker<TApi>(IRefitClientFactory<TApi> clients, CommandRuntime runtime)
    where TApi : class
{
    public Task<int> InvokeAsync(
        EndpointInfo endpoint,
        CommonOptions common,
        BodyOptions? body,
        Func<TApi, HttpContent?, CancellationToken, Task<HttpResponseMessage>> call)
        => runtime.RunEndpointAsync(endpoint, common, body, (http, content, ct) => call(clients.Create(http), content, ct));
}
