using System.Net;
using System.Text.RegularExpressions;

namespace Bitbucket.LocalProvider;

/// <summary>
/// <c>bb-local-provider approve URL</c>: a browser for scripts. Set <c>BROWSER</c> to it and
/// <c>bb auth login</c> completes unattended, with nothing but the .NET SDK on the machine: it loads
/// the authorize page, submits its approve form and follows the redirect to bb's callback listener,
/// as a person's browser would. Loopback URLs only.
/// </summary>
public static partial class ScriptedBrowser
{
    public static async Task<int> ApproveAsync(string url, TextWriter error)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var authorize) || !authorize.IsLoopback)
        {
            await error.WriteLineAsync("bb-local-provider approve: give the authorize URL of a provider on 127.0.0.1").ConfigureAwait(false);
            return 2;
        }

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var page = await http.GetStringAsync(authorize).ConfigureAwait(false);
            var form = ApproveForm().Match(page);
            if (!form.Success)
            {
                await error.WriteLineAsync("bb-local-provider approve: the page has no approve form").ConfigureAwait(false);
                return 1;
            }

            var fields = HiddenInput().Matches(form.Value).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            using var approved = await http.PostAsync(new Uri(authorize, WebUtility.HtmlDecode(form.Groups["action"].Value)), new FormUrlEncodedContent(fields)).ConfigureAwait(false);
            if (approved.StatusCode != HttpStatusCode.Found || approved.Headers.Location is not { } callback)
            {
                await error.WriteLineAsync($"bb-local-provider approve: approving answered HTTP {(int)approved.StatusCode}, not a redirect").ConfigureAwait(false);
                return 1;
            }

            callback = callback.IsAbsoluteUri ? callback : new Uri(authorize, callback);
            if (!callback.IsLoopback)
            {
                await error.WriteLineAsync("bb-local-provider approve: the callback is not on 127.0.0.1; not following it").ConfigureAwait(false);
                return 1;
            }

            using var done = await http.GetAsync(callback).ConfigureAwait(false);
            return done.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"bb-local-provider approve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    [GeneratedRegex("<form id=\"approve\"[^>]*action=\"(?<action>[^\"]+)\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex ApproveForm();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
