using Bitbucket.Cli.Core.Config;

namespace Bitbucket.Cli.Core.Git;

/// <summary>Where a repository's coordinates came from (shown in errors and help).</summary>
internal enum RepoSource
{
    Option,
    Environment,
    GitRemote,
}

/// <summary>A repository to run against: its coordinates, where they came from, and for a git remote the stored host it matched.</summary>
internal sealed record RepoTarget(string Owner, string Repo, RepoSource Source, RemoteRepository? Remote = null, string? HostName = null);

/// <summary>
/// The repository bb runs against when the command line does not name one: <c>-R</c>, else
/// <c>BB_REPO</c>, else the git remote of the checkout in the working directory.
/// </summary>
internal static class RepoContext
{
    public const string RepoVariable = "BB_REPO";

    /// <summary><c>OWNER/REPO</c> from <c>-R</c> or <c>BB_REPO</c>; anything else is a usage error naming <paramref name="from"/>.</summary>
    public static (string Owner, string Repo) ParseFullName(string value, string from)
    {
        var parts = value.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Trim().Length == 0 || p != p.Trim()))
        {
            throw new UsageException($"{from} wants WORKSPACE/REPO (Data Center: PROJECT/REPO), not '{value}'");
        }

        return (parts[0], parts[1]);
    }

    /// <summary>
    /// The Bitbucket repository of the checkout git sees in <paramref name="git"/>'s directory: <c>origin</c> if it is
    /// one, else the only one the remotes name. Null outside a checkout, without git, or when no remote is a
    /// Bitbucket URL. Remotes naming different repositories (and no <c>origin</c> among them) are a usage error
    /// listing them.
    /// </summary>
    public static RemoteRepository? FromGit(GitRunner git)
    {
        var remotes = Remotes(git);
        if (remotes.Count == 0)
        {
            return null;
        }

        if (remotes.FirstOrDefault(r => r.Name == "origin") is { Repository: { } origin })
        {
            return origin;
        }

        var candidates = remotes.Where(r => r.Repository is not null).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        if (candidates.All(c => c.Repository!.SameRepository(candidates[0].Repository!)))
        {
            return candidates[0].Repository;
        }

        throw new UsageException("the git remotes name different repositories ("
            + string.Join(", ", candidates.Select(c => c.Name + ": " + c.Repository))
            + "); say which with -R WORKSPACE/REPO, or name one of them origin");
    }

    /// <summary>Every remote of the checkout with the repository its URL names (null when the URL is not Bitbucket's).</summary>
    /// <remarks>
    /// One git process reads the remotes (only the checkout's own, "local" scope: outside a checkout there are
    /// none) and the <c>url.&lt;base&gt;.insteadOf</c> rules of every scope. A URL shortened with a rule
    /// (<c>bb:ws/repo</c>) is read as git expands it; a rule that sends a Bitbucket URL somewhere else (a mirror,
    /// a directory) leaves the Bitbucket URL as the one that names the repository.
    /// </remarks>
    public static IReadOnlyList<(string Name, RemoteRepository? Repository)> Remotes(GitRunner git)
    {
        var result = git.TryRun("config", "--show-scope", "--get-regexp", @"^(remote\..+\.url|url\..+\.insteadof)$");
        if (result is not { Ok: true })
        {
            return [];
        }

        var urls = new List<(string Name, string Url)>();
        var rewrites = new List<(string Prefix, string Base)>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (tab < 0 || space < tab)
            {
                continue;
            }

            var scope = line[..tab];
            var key = line[(tab + 1)..space];
            var value = line[(space + 1)..].Trim();
            if (key.StartsWith("remote.", StringComparison.Ordinal) && scope == "local")
            {
                var name = key["remote.".Length..^".url".Length];
                if (!urls.Any(u => u.Name == name))
                {
                    urls.Add((name, value));
                }
            }
            else if (key.StartsWith("url.", StringComparison.Ordinal))
            {
                rewrites.Add((value, key["url.".Length..^".insteadof".Length]));
            }
        }

        return urls.Select(u => (u.Name, Rewrite(u.Url, rewrites) is { } expanded && RemoteUrl.Parse(expanded) is { } viaRule ? viaRule : RemoteUrl.Parse(u.Url))).ToList();
    }

    /// <summary>git's insteadOf rule: the longest matching prefix is replaced by its base; null when no rule matches.</summary>
    private static string? Rewrite(string url, List<(string Prefix, string Base)> rewrites)
        => rewrites.Where(r => r.Prefix.Length > 0 && url.StartsWith(r.Prefix, StringComparison.Ordinal))
            .OrderByDescending(r => r.Prefix.Length)
            .Select(r => r.Base + url[r.Prefix.Length..])
            .FirstOrDefault();

    /// <summary>
    /// The stored host a remote lives on: the one whose API URL has the remote's host name (Cloud's
    /// <c>bitbucket.org</c> also matches an API at <c>api.bitbucket.org</c>). Several: the one on the remote's
    /// port (HTTP remotes), else the default host; still several is a usage error listing them.
    /// </summary>
    public static HostConfig? MatchHost(BbConfig config, RemoteRepository remote)
    {
        var matches = config.Hosts.Values.Where(h => HostNameOf(h) is { } name
            && (string.Equals(name, remote.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "api." + remote.Host, StringComparison.OrdinalIgnoreCase))).ToList();
        if (matches.Count <= 1)
        {
            return matches.FirstOrDefault();
        }

        if (remote.Scheme != "ssh")
        {
            var port = remote.Port ?? (remote.Scheme == "https" ? 443 : 80);
            var samePort = matches.Where(h => Uri.TryCreate(h.ApiUrl, UriKind.Absolute, out var u) && u.Port == port).ToList();
            if (samePort.Count == 1)
            {
                return samePort[0];
            }
        }

        return matches.FirstOrDefault(h => BbConfig.NameComparer.Equals(h.Name, config.DefaultHost))
            ?? throw new UsageException($"the git remote's host {remote.Host} matches the stored hosts "
                + string.Join(", ", matches.Select(h => h.Name).Order(StringComparer.Ordinal)) + "; choose one with --host");
    }

    /// <summary>Whether <paramref name="host"/> is where <paramref name="remote"/> lives (same rule as <see cref="MatchHost"/>).</summary>
    public static bool Serves(HostConfig host, RemoteRepository remote) => Serves(host.ApiUrl, remote);

    /// <summary>Whether the API at <paramref name="apiUrl"/> is where <paramref name="remote"/> lives.</summary>
    public static bool Serves(string apiUrl, RemoteRepository remote)
        => (Uri.TryCreate(apiUrl, UriKind.Absolute, out var uri) ? uri.Host : null) is { } name
            && (string.Equals(name, remote.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "api." + remote.Host, StringComparison.OrdinalIgnoreCase));

    private static string? HostNameOf(HostConfig host)
        => Uri.TryCreate(host.ApiUrl, UriKind.Absolute, out var uri) ? uri.Host : null;
}
