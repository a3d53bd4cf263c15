using System.Text.RegularExpressions;

namespace Bitbucket.Cli.Core.Git;

/// <summary>
/// A repository named by a git remote URL: the host it lives on and its two coordinates (workspace and
/// slug on Cloud, project key and slug on Data Center).
/// </summary>
/// <param name="Host">The remote's host name, lower case (<c>bitbucket.org</c>, <c>git.example.com</c>).</param>
/// <param name="Port">The port when the URL names one (<c>7999</c>), else null.</param>
/// <param name="Scheme"><c>ssh</c> (also for <c>git@host:path</c>), <c>https</c> or <c>http</c>.</param>
/// <param name="ContextPath">Data Center HTTP URLs: the path before <c>/scm/</c> (<c>/bitbucket</c>), else empty.</param>
public sealed record RemoteRepository(string Host, int? Port, string Scheme, string ContextPath, string Owner, string Repo)
{
    /// <summary><c>OWNER/REPO</c>, as <c>-R</c> takes it.</summary>
    public string FullName => Owner + "/" + Repo;

    /// <summary>The same repository: same host and coordinates (the slug and key ignore case, as Bitbucket does).</summary>
    public bool SameRepository(RemoteRepository other)
        => string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Owner, other.Owner, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Repo, other.Repo, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Host + "/" + FullName;
}

/// <summary>
/// Reads the remote URL shapes Bitbucket hands out. Cloud: <c>git@bitbucket.org:ws/repo.git</c>,
/// <c>https://user@bitbucket.org/ws/repo.git</c>, <c>ssh://git@bitbucket.org/ws/repo.git</c>. Data Center:
/// <c>ssh://git@host:7999/proj/repo.git</c>, <c>https://host[/context]/scm/proj/repo.git</c>. Anything else
/// (a path on disk, a file URL, another layout) is not a Bitbucket repository.
/// </summary>
public static partial class RemoteUrl
{
    public static RemoteRepository? Parse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            // scp-like: [user@]host:path — but not a Windows drive (C:\x) or a relative path.
            var scp = ScpLike().Match(url);
            return scp.Success ? FromPath(scp.Groups["host"].Value, null, "ssh", scp.Groups["path"].Value, allowScm: false) : null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return null;
        }

        var scheme = uri.Scheme.ToLowerInvariant();
        if (scheme is not ("ssh" or "https" or "http" or "git+ssh" or "ssh+git"))
        {
            return null;
        }

        scheme = scheme.Contains("ssh", StringComparison.Ordinal) ? "ssh" : scheme;
        return FromPath(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port, scheme, Uri.UnescapeDataString(uri.AbsolutePath), allowScm: scheme != "ssh");
    }

    /// <summary><paramref name="text"/> with any <c>user:password@</c> in a URL reduced to <c>user@</c>: bb never prints a credential.</summary>
    public static string Redact(string text) => UserInfoPassword().Replace(text, "${scheme}${user}@");

    private static RemoteRepository? FromPath(string host, int? port, string scheme, string path, bool allowScm)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count < 2)
        {
            return null;
        }

        var last = segments[^1];
        if (last.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            last = last[..^4];
        }

        segments[^1] = last;
        if (segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            return null;
        }

        var contextPath = string.Empty;
        if (allowScm && segments.Count >= 3 && string.Equals(segments[^3], "scm", StringComparison.OrdinalIgnoreCase))
        {
            contextPath = segments.Count > 3 ? "/" + string.Join('/', segments.Take(segments.Count - 3)) : string.Empty;
        }
        else if (segments.Count != 2)
        {
            return null;
        }

        return new RemoteRepository(host.ToLowerInvariant(), port, scheme, contextPath, segments[^2], segments[^1]);
    }

    [GeneratedRegex(@"^(?:[^@/\s]+@)?(?<host>[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]|[A-Za-z0-9]{2,}):(?<path>[^/\\].*)$")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^:@/\s]*):[^@/\s]*@")]
    private static partial Regex UserInfoPassword();
}
