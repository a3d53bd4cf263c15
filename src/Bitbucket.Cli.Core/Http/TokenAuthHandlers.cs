using System.Net.Http.Headers;
using System.Text;

namespace Bitbucket.Cli.Core.Http;

/// <summary>
/// <c>Authorization: Bearer TOKEN</c> on every request (a Data Center HTTP access token, a Cloud access
/// token). Set per attempt, inside the retry handler and outside the origin guard, like OAuth 1.0a signing.
/// </summary>
internal sealed class BearerAuthHandler(string token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary><c>Authorization: Basic</c> (RFC 7617) on every request: a Cloud API token with the account's e-mail, or an OAuth 2.0 client.</summary>
internal sealed class BasicAuthHandler(string username, string password) : DelegatingHandler
{
    private readonly string credentials = Encode(username, password);

    /// <summary><c>base64(user ":" password)</c> in UTF-8.</summary>
    public static string Encode(string username, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return base.SendAsync(request, cancellationToken);
    }
}
