namespace Bitbucket.LocalProvider.OAuth2;

/// <summary>
/// <c>--seed-token-file F</c>: tokens the provider accepts, one a line — <c>TOKEN</c> for
/// <c>Authorization: Bearer</c>, <c>LOGIN:TOKEN</c> for an API token with HTTP Basic. A file, not argv:
/// tokens are secrets.
/// </summary>
internal static class SeedTokenFile
{
    public static LocalProviderOptions Apply(LocalProviderOptions options, string path, Func<string, Exception> fail)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw fail($"cannot read the token file {path}: {e.Message}");
        }

        var bearer = new List<string>(options.SeedTokens);
        var basic = new List<LocalApiToken>(options.ApiTokens);
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                bearer.Add(line);
            }
            else if (colon > 0 && colon < line.Length - 1)
            {
                basic.Add(new LocalApiToken(line[..colon], line[(colon + 1)..]));
            }
            else
            {
                throw fail($"{path}: a line is neither TOKEN nor LOGIN:TOKEN");
            }
        }

        return options with { SeedTokens = bearer, ApiTokens = basic };
    }
}
