using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;
using Cocona.Application;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>Everything <c>bb api</c> was given.</summary>
/// <param name="Path">A path from the API origin (<c>/2.0/user</c>) or a full http(s) URL.</param>
/// <param name="Method">The HTTP method; null: GET, or POST when there is a body.</param>
/// <param name="Headers">Extra request headers as typed: <c>Name: value</c>.</param>
/// <param name="Form">Send fields form-encoded instead of as JSON.</param>
internal sealed record ApiRequestOptions(string Path, string? Method, IReadOnlyList<string> Headers, bool Form, CommonOptions Common, BodyOptions Body);

/// <summary><c>bb api</c>: a signed request to any path, with gh's semantics.</summary>
internal sealed class ApiRequestRunner(ConsoleIO io, ApiSessions sessions, ICoconaAppContextAccessor? context = null)
{
    public async Task<int> RunAsync(ApiRequestOptions options)
    {
        var common = options.Common;
        var settings = CommandSetup.Output(common, io, []);
        _ = Paginator.ParseWindow(common.Parallel); // a bad --parallel is refused before anything is sent
        var fields = BodyBuilder.ParseFields(options.Body.RawFields, options.Body.Fields);
        var headers = RequestHeaders.Parse(options.Headers);
        var verb = new HttpMethod((options.Method ?? (fields.Count > 0 || options.Body.Input is not null ? "POST" : "GET")).ToUpperInvariant());

        using var session = sessions.Open(CommandSetup.Session(common, io));
        using var request = BuildRequest(verb, ResolvePath(session.Http.BaseAddress!, options.Path), fields, options);
        RequestHeaders.Apply(request, headers);

        var ct = CommandSetup.Cancellation(context);
        using var response = await HttpBodies.LabelFailuresAsync(
            session.Http.BaseAddress!, () => session.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
        var paginated = ResponsePrinter.Follows(common);
        return await new ResponsePrinter(io).PrintAsync(session.Http, response, paginated, common, settings, ct).ConfigureAwait(false);
    }

    /// <summary>GET and HEAD carry the fields as query parameters; other methods as a JSON or form body.</summary>
    private HttpRequestMessage BuildRequest(HttpMethod verb, Uri uri, IReadOnlyList<FieldArg> fields, ApiRequestOptions options)
    {
        if (verb != HttpMethod.Get && verb != HttpMethod.Head)
        {
            var content = BodyBuilder.Build(options.Form ? BodyKind.Form : BodyKind.Json, fields, options.Body.Input, io);
            return new HttpRequestMessage(verb, uri) { Content = content };
        }

        if (options.Body.Input is not null)
        {
            throw new UsageException("--input needs a method with a body (add -X POST)");
        }

        return new HttpRequestMessage(verb, AppendQuery(uri, BodyBuilder.AsQuery(fields, io)));
    }

    /// <summary>Paths are absolute from the API origin plus any context path: /2.0/user, /1.0/…; full http(s) URLs stay as they are.</summary>
    internal static Uri ResolvePath(Uri baseAddress, string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            return absolute;
        }

        return new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'));
    }

    private static Uri AppendQuery(Uri uri, IEnumerable<KeyValuePair<string, string>> query)
    {
        var pairs = query.Select(p => OAuthEncoding.PercentEncode(p.Key) + "=" + OAuthEncoding.PercentEncode(p.Value)).ToList();
        if (pairs.Count == 0)
        {
            return uri;
        }

        var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
        return new Uri(uri.AbsoluteUri + separator + string.Join('&', pairs));
    }
}
