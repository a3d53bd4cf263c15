using Bitbucket.Cli.Core.Commands;
using Cocona;

namespace Bitbucket.Cli.Commands;

/// <summary><c>bb api PATH</c>: a signed request to any endpoint, with gh's <c>api</c> semantics.</summary>
internal sealed class ApiCommand(ApiRequestRunner runner)
{
    [Command("api", Description = "Make a signed request to any API path, e.g. bb api /1.0/repositories/USER/REPO/branches")]
    public Task<int> Api(
        [Argument("path", Description = "Path from the API origin (/2.0/user) or a full URL")] string path,
        CommonOptions common,
        BodyOptions body,
        [Option("method", new[] { 'X' }, Description = "HTTP method (default GET, or POST when fields or --input are given)", ValueName = "METHOD")] string? method = null,
        [Option("header", new[] { 'H' }, Description = "Add a request header: 'Name: value'", ValueName = "HEADER")] string[]? header = null,
        [Option("form", Description = "Send fields as application/x-www-form-urlencoded (signed) instead of JSON")] bool form = false)
        => runner.RunAsync(new ApiRequestOptions(path, method, header ?? [], form, common, body));
}
