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
/// host, builds the body, calls the Refit method, then prints, paginates and maps errors to exit codes
/// (<see cref="EndpointRunner"/>).
/// </summary>
/// <remarks>Created by the tool's composition root (the constructor is internal, like the runner).</remarks>
public sealed class ApiInvoker<TApi>
    where TApi : class
{
    private readonly IRefitClientFactory<TApi> clients;
    private readonly EndpointRunner runner;

    internal ApiInvoker(IRefitClientFactory<TApi> clients, EndpointRunner runner)
    {
        this.clients = clients;
        this.runner = runner;
    }

    public Task<int> InvokeAsync(
        EndpointInfo endpoint,
        CommonOptions common,
        BodyOptions? body,
        Func<TApi, HttpContent?, CancellationToken, Task<HttpResponseMessage>> call)
        => runner.RunAsync(endpoint, common, body, (http, content, ct) => call(clients.Create(http), content, ct));
}
