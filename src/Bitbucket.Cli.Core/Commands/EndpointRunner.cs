using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.Terminal;
using Cocona.Application;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>Runs one generated endpoint command: body, session, the Refit call, then the printed response.</summary>
internal sealed class EndpointRunner(ConsoleIO io, ApiSessions sessions, ICoconaAppContextAccessor? context = null)
{
    public async Task<int> RunAsync(
        EndpointInfo endpoint,
        CommonOptions common,
        BodyOptions? body,
        Func<HttpClient, HttpContent?, CancellationToken, Task<HttpResponseMessage>> send)
    {
        if (CommonOptionScope.Refusal(common, endpoint) is { } refusal)
        {
            throw new UsageException(refusal);
        }

        var settings = CommandSetup.Output(common, io, endpoint.Columns);
        _ = Paginator.ParseWindow(common.Parallel); // a bad --parallel is refused before anything is sent
        var content = BuildBody(endpoint, body);
        using var session = sessions.Open(CommandSetup.Session(common, io));
        var ct = CommandSetup.Cancellation(context);
        // Following every page: the first request asks for the largest page (PageSize), unless the user chose one.
        using var first = endpoint.Paginated && ResponsePrinter.Follows(common)
            ? PageSize.Client(session.Http, endpoint.Flavor, Paginator.ParseLimit(common.Limit))
            : null;
        using var response = await HttpBodies.LabelFailuresAsync(session.Http.BaseAddress!, () => send(first ?? session.Http, content, ct)).ConfigureAwait(false);
        return await new ResponsePrinter(io).PrintAsync(session.Http, response, endpoint.Paginated, common, settings, ct).ConfigureAwait(false);
    }

    /// <summary>The request body from <c>-f</c>/<c>-F</c>/<c>--input</c>; an endpoint without a body refuses them.</summary>
    private HttpContent? BuildBody(EndpointInfo endpoint, BodyOptions? body)
    {
        var fields = BodyBuilder.ParseFields(body?.RawFields, body?.Fields);
        if (endpoint.BodyKind != BodyKind.None)
        {
            return BodyBuilder.Build(endpoint.BodyKind, fields, body?.Input, io, endpoint.BodyFields);
        }

        if (fields.Count > 0 || body?.Input is not null)
        {
            throw new UsageException($"bb {endpoint.Group} {endpoint.Name} takes no request body");
        }

        return null;
    }
}
