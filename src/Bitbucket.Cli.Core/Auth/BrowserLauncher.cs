using System.ComponentModel;
using System.Diagnostics;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Opens a URL in the user's browser: <c>$BROWSER</c> if set, else <c>xdg-open</c>.</summary>
internal static class BrowserLauncher
{
    /// <summary>Starts the browser; false when none could be started (the caller prints the URL).</summary>
    public static bool TryOpen(string url, Func<string, string?> environment)
    {
        var command = environment("BROWSER") is { Length: > 0 } browser ? browser : "xdg-open";
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var start = new ProcessStartInfo(words[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add(url);
        try
        {
            var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            // The browser's own chatter must not mix with bb's output; drain and drop it.
            process.StandardInput.Close();
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
