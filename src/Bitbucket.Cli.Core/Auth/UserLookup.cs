using System.Net;
using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Http;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Asks the API who a token belongs to: the check after a login and in <c>bb auth status</c>.</summary>
internal static class UserLookup
{
    public const string DefaultUserPath = "/2.0/user";

    /// <summary>A user record is small; reading a bounded prefix keeps a hostile server from growing bb's memory.</summary>
    private const int MaxUserBody = 1024 * 1024;

    private static readonly string[] NameFields = ["username", "nickname", "name", "slug", "account_id"];

    /// <summary>The username behind <paramref name="http"/>'s credentials, or null when the server refuses them.</summary>
    /// <param name="userPath">The current-user endpoint (null: <see cref="DefaultUserPath"/>).</param>
    public static async Task<string?> WhoAmIAsync(HttpClient http, Uri api, string? userPath, CancellationToken cancellationToken)
    {
        var url = new Uri(api.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + (userPath ?? DefaultUserPath).TrimStart('/'));
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await HttpBodies.ApiErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = Encoding.UTF8.GetString(await HttpBodies.ReadBoundedAsync(response.Content, MaxUserBody, cancellationToken).ConfigureAwait(false));
        if (response.Content.Headers.ContentType?.MediaType == "text/plain" && body.Trim() is { Length: > 0 and < 256 } plain && !plain.Contains('\n', StringComparison.Ordinal))
        {
            // Bitbucket Server's /plugins/servlet/applinks/whoami answers with the bare username.
            return plain;
        }

        return NameIn(body) ?? throw new CliException($"{url.AbsolutePath} did not say who is logged in (no username in its JSON); pass --user-path");
    }

    /// <summary>The first non-empty name field of a JSON object, or null.</summary>
    internal static string? NameIn(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var field in NameFields)
            {
                if (document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
