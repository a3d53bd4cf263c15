using System.Text.Json;

namespace Bitbucket.Cli.Commands;

/// <summary>For <c>bb prs status</c>: your open pull requests and those waiting for your review.</summary>
internal static class PrsStatusLists
{
    /// <summary>Cloud: this repository's open pull requests filtered by your UUID; Data Center: your dashboard (all repositories).</summary>
    public static async Task<(IReadOnlyList<PullRequestView> Mine, IReadOnlyList<PullRequestView> Review)> ReadAsync(PrsRepository repo, CancellationToken ct)
    {
        if (repo.IsCloud)
        {
            using var user = await repo.JsonAsync((api, c) => api.UserGet(c), ct).ConfigureAwait(false);
            var uuid = PrsRepository.Str(user.RootElement, "uuid") ?? throw new Core.CliException("the API did not say who you are");
            var mine = await CloudAsync(repo, $"author.uuid = \"{uuid}\"", ct).ConfigureAwait(false);
            var review = await CloudAsync(repo, $"reviewers.uuid = \"{uuid}\"", ct).ConfigureAwait(false);
            return (mine, review);
        }

        return (await DataCenterAsync(repo, "AUTHOR", null, ct).ConfigureAwait(false), await DataCenterAsync(repo, "REVIEWER", "UNAPPROVED", ct).ConfigureAwait(false));
    }

    private static async Task<IReadOnlyList<PullRequestView>> CloudAsync(PrsRepository repo, string q, CancellationToken ct)
    {
        using var page = await repo.JsonAsync((api, c) => api.PrsList(repo.Owner, repo.Repo, "OPEN", q, null, null, c), ct).ConfigureAwait(false);
        return Values(page, repo);
    }

    private static async Task<IReadOnlyList<PullRequestView>> DataCenterAsync(PrsRepository repo, string role, string? participantStatus, CancellationToken ct)
    {
        using var page = await repo.JsonAsync((api, c) => api.DataCenterPrsDashboard(role, "OPEN", participantStatus, null, null, null, null, c), ct).ConfigureAwait(false);
        return Values(page, repo);
    }

    private static List<PullRequestView> Values(JsonDocument page, PrsRepository repo)
        => page.RootElement.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().Select(v => PullRequestView.Read(v, repo.Flavor)).ToList()
            : [];
}
