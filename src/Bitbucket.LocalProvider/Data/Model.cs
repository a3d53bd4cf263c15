using System.Security.Cryptography;
using System.Text;

namespace Bitbucket.LocalProvider.Data;

/// <summary>The account every approval is made as.</summary>
internal sealed record UserAccount(string Username, string DisplayName, string Uuid, string AccountId, DateTimeOffset CreatedOn);

internal sealed record Workspace(string Slug, string Name, string Uuid, bool IsPrivate, DateTimeOffset CreatedOn);

/// <summary>The user's role on a repository, lowest first; <c>role=X</c> lists repositories with role X or higher.</summary>
internal enum RepositoryRole { Member, Contributor, Admin, Owner }

internal sealed record Commit(string Hash, DateTimeOffset Date, string Message, string AuthorRaw);

internal sealed record Branch(string Name, Commit Target);

internal sealed record PullRequest(
    int Id,
    string Title,
    string Description,
    string State,
    string SourceBranch,
    string DestinationBranch,
    bool CloseSourceBranch,
    string AuthorUsername,
    DateTimeOffset CreatedOn);

internal sealed class Repository
{
    public required Workspace Workspace { get; init; }
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public bool IsPrivate { get; init; } = true;
    public string Language { get; init; } = "";
    public long Size { get; init; }
    public required DateTimeOffset CreatedOn { get; init; }
    public required DateTimeOffset UpdatedOn { get; init; }
    public required string MainBranch { get; init; }
    public RepositoryRole Role { get; init; } = RepositoryRole.Member;
    public required IReadOnlyList<Branch> Branches { get; init; }

    /// <summary>Guarded by the owning <see cref="ProviderData"/>'s lock.</summary>
    public List<PullRequest> PullRequests { get; } = [];

    public string FullName => $"{Workspace.Slug}/{Slug}";
    public string Uuid => Ids.Uuid("repository:" + FullName);

    public Branch? FindBranch(string name) => Branches.FirstOrDefault(b => b.Name == name);
}

/// <summary>Deterministic identifiers, so seeded data is the same on every run.</summary>
internal static class Ids
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 15, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A Bitbucket-style UUID in braces, derived from <paramref name="seed"/>.</summary>
    public static string Uuid(string seed)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return "{" + new Guid(bytes.AsSpan(0, 16)).ToString("D") + "}";
    }

    /// <summary>A 40-hex-digit commit hash derived from <paramref name="seed"/>.</summary>
    public static string CommitHash(string seed) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(seed)));
}
