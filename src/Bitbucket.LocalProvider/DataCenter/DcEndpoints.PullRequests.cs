using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>Pull requests: list, create, update, merge/decline/reopen, review status, participants, comments and activities.</summary>
internal sealed partial class DcEndpoints
{
    /// <summary><c>state</c> OPEN (default), MERGED, DECLINED or ALL; <c>filterText</c> in the title; <c>at</c> a ref on the <c>direction</c> side; newest first unless <c>order=OLDEST</c>.</summary>
    private IResult PullRequests(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        var query = context.Request.Query;
        var state = query["state"].ToString() is { Length: > 0 } given ? given.ToUpperInvariant() : "OPEN";
        if (!PullRequestStates.Contains(state))
        {
            return DcError.Field("state", $"state must be one of {string.Join(", ", PullRequestStates)}.");
        }

        var at = query["at"].ToString();
        var filter = query["filterText"].ToString();
        var outgoing = string.Equals(query["direction"], "OUTGOING", StringComparison.OrdinalIgnoreCase);
        var selected = repository.PullRequests
            .Where(p => state == "ALL" || p.State == state)
            .Where(p => p.Title.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .Where(p => at.Length == 0 || repository.FindBranch(at)?.Name == (outgoing ? p.FromBranch : p.ToBranch));
        var ordered = string.Equals(query["order"], "OLDEST", StringComparison.OrdinalIgnoreCase)
            ? selected.OrderBy(p => p.Id)
            : selected.OrderByDescending(p => p.Id);
        return DcPaging.Page(context, ordered.ToList(), p => DcShapes.PullRequest(repository, p, data.User, BaseUrl(context)));
    }

    private IResult CreatePullRequest(HttpContext context, string projectKey, string slug)
    {
        if (FindRepository(projectKey, slug, out var repository) is { } notFound)
        {
            return notFound;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var title = Text(body, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            return DcError.Field("title", "A pull request needs a title.");
        }

        if (ResolvePullRequestRefs(repository, body, out var from, out var to) is { } badRef)
        {
            return badRef;
        }

        if (CheckReviewers(body) is { } badReviewer)
        {
            return badReviewer;
        }

        var now = services.Options.TimeProvider.GetUtcNow();
        var pr = new DcPullRequest
        {
            Id = repository.PullRequests.Count == 0 ? 1 : repository.PullRequests.Max(p => p.Id) + 1,
            Title = title,
            Description = Text(body, "description") ?? "",
            FromBranch = from.Name,
            ToBranch = to.Name,
            Author = data.User.Username,
            Created = now,
            Updated = now,
        };
        pr.Participant(data.User.Username);
        pr.Record("OPENED", data.User.Username, now);
        repository.PullRequests.Add(pr);
        return new JsonNodeResult(DcShapes.PullRequest(repository, pr, data.User, BaseUrl(context)), StatusCodes.Status201Created);
    }

    /// <summary>
    /// Null when <c>fromRef</c> and <c>toRef</c> name two different branches of this repository (the
    /// local provider has no forks), else the 400 or 409 to answer.
    /// </summary>
    private static IResult? ResolvePullRequestRefs(DcRepository repository, JsonObject body, out DcRef from, out DcRef to)
    {
        from = null!;
        to = null!;
        foreach (var side in new[] { "fromRef", "toRef" })
        {
            var otherSlug = Text(body, side, "repository", "slug");
            var otherProject = Text(body, side, "repository", "project", "key");
            if ((otherSlug is not null && !string.Equals(otherSlug, repository.Slug, StringComparison.OrdinalIgnoreCase))
                || (otherProject is not null && !string.Equals(otherProject, repository.Project.Key, StringComparison.OrdinalIgnoreCase)))
            {
                return DcError.Field(side, $"{side} must be a branch of {repository.Project.Key}/{repository.Slug} (the local provider has no forks).");
            }
        }

        var fromId = Text(body, "fromRef", "id");
        if (fromId is null || repository.FindBranch(fromId) is not { } fromBranch)
        {
            return DcError.Field("fromRef", $"fromRef.id must name a branch of {repository.Project.Key}/{repository.Slug}, got {fromId ?? "nothing"}.");
        }

        var toId = Text(body, "toRef", "id") ?? repository.DefaultBranch ?? "";
        if (repository.FindBranch(toId) is not { } toBranch)
        {
            return DcError.Field("toRef", $"toRef.id must name a branch of {repository.Project.Key}/{repository.Slug}, got {toId}.");
        }

        if (fromBranch == toBranch)
        {
            return DcError.Field("toRef", "The source and target branches are the same.");
        }

        if (repository.PullRequests.FirstOrDefault(p => p.State == "OPEN" && p.FromBranch == fromBranch.Name && p.ToBranch == toBranch.Name) is { } existing)
        {
            return DcError.Result(
                StatusCodes.Status409Conflict,
                $"Pull request {existing.Id} is already open from {fromBranch.Name} to {toBranch.Name}.",
                "com.atlassian.bitbucket.pull.DuplicatePullRequestException");
        }

        from = fromBranch;
        to = toBranch;
        return null;
    }

    /// <summary>Null when the body names no reviewers, else the 400 to answer.</summary>
    private IResult? CheckReviewers(JsonObject body)
    {
        // The provider has one user, who is the author; the author cannot also be a reviewer.
        if (body["reviewers"] is JsonArray { Count: > 0 } reviewers)
        {
            var name = reviewers[0] is JsonObject r ? Text(r, "user", "name") ?? Text(r, "user", "slug") : null;
            return string.Equals(name, data.User.Username, StringComparison.OrdinalIgnoreCase)
                ? DcError.Field("reviewers", "The author of a pull request cannot also review it.")
                : DcError.Field("reviewers", $"{name ?? "a reviewer without user.name"} is not a user of this server.");
        }

        return null;
    }

    /// <summary>Finds the pull request under the lock and runs <paramref name="handler"/> with it.</summary>
    private IResult WithPullRequest(HttpContext context, string projectKey, string slug, int id, Func<DcRepository, DcPullRequest, IResult> handler) =>
        Locked(() =>
        {
            if (FindRepository(projectKey, slug, out var repository) is { } notFound)
            {
                return notFound;
            }

            return repository.PullRequests.FirstOrDefault(p => p.Id == id) is { } pr
                ? handler(repository, pr)
                : DcError.Result(StatusCodes.Status404NotFound, $"Pull request {id} does not exist in {repository.Project.Key}/{repository.Slug}.", "com.atlassian.bitbucket.pull.NoSuchPullRequestException");
        });

    private IResult PullRequestResult(HttpContext context, DcRepository repository, DcPullRequest pr) =>
        new JsonNodeResult(DcShapes.PullRequest(repository, pr, data.User, BaseUrl(context)));

    /// <summary>
    /// Optimistic locking: a change names the version it was based on; a stale one is a 409, so two
    /// people cannot overwrite each other's edits unknowingly.
    /// </summary>
    private static IResult? CheckVersion(DcPullRequest pr, int? version)
    {
        if (version is null)
        {
            return DcError.Field("version", "The pull request's current version is required (version=N).");
        }

        if (version != pr.Version)
        {
            return DcError.Result(
                StatusCodes.Status409Conflict,
                $"Pull request {pr.Id} has changed since version {version}; it is now at version {pr.Version}. Reload it and try again.",
                DcError.OutOfDate);
        }

        return null;
    }

    private static int? QueryVersion(HttpContext context) =>
        int.TryParse(context.Request.Query["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    private IResult UpdatePullRequest(HttpContext context, DcRepository repository, DcPullRequest pr)
    {
        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        int? version = body["version"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        if (CheckVersion(pr, version) is { } stale)
        {
            return stale;
        }

        if (pr.State != "OPEN")
        {
            return NotOpen(pr, "updated");
        }

        if (Text(body, "toRef", "id") is { } toId)
        {
            if (repository.FindBranch(toId) is not { } to || to.Name == pr.FromBranch)
            {
                return DcError.Field("toRef", $"toRef.id must name another branch of {repository.Project.Key}/{repository.Slug}, got {toId}.");
            }

            pr.ToBranch = to.Name;
        }

        if (Text(body, "title") is { } title)
        {
            if (string.IsNullOrWhiteSpace(title))
            {
                return DcError.Field("title", "A pull request needs a title.");
            }

            pr.Title = title;
        }

        pr.Description = Text(body, "description") ?? pr.Description;
        Touch(pr, "UPDATED");
        return PullRequestResult(context, repository, pr);
    }

    private static IResult CanMerge(DcPullRequest pr) => new JsonNodeResult(new JsonObject
    {
        ["canMerge"] = pr.State == "OPEN",
        ["conflicted"] = false,
        ["outcome"] = "CLEAN",
        ["vetoes"] = new JsonArray(),
    });

    /// <summary>Merge, decline or reopen: <c>?version=N</c> must be current and the pull request in <paramref name="from"/>.</summary>
    private IResult Transition(HttpContext context, DcRepository repository, DcPullRequest pr, string from, string to, string action)
    {
        if (CheckVersion(pr, QueryVersion(context)) is { } stale)
        {
            return stale;
        }

        if (pr.State != from)
        {
            return DcError.Result(
                StatusCodes.Status409Conflict,
                $"Pull request {pr.Id} is {pr.State}; only a {from} pull request can be {to.ToLowerInvariant()}.",
                "com.atlassian.bitbucket.pull.IllegalPullRequestStateException");
        }

        if (to == "MERGED" && repository.FindBranch(pr.ToBranch) is { } target && repository.FindBranch(pr.FromBranch) is { } source)
        {
            var now = services.Options.TimeProvider.GetUtcNow();
            var merge = repository.AddCommit($"Merge pull request #{pr.Id}: {pr.Title}", now, data.User, target.LatestCommit, source.LatestCommit);
            target.LatestCommit = merge.Id;
        }

        pr.State = to;
        pr.Closed = to == "OPEN" ? null : services.Options.TimeProvider.GetUtcNow();
        Touch(pr, action);
        return PullRequestResult(context, repository, pr);
    }

    private void Touch(DcPullRequest pr, string action)
    {
        pr.Version++;
        pr.Updated = services.Options.TimeProvider.GetUtcNow();
        pr.Record(action, data.User.Username, pr.Updated);
    }

    private static JsonNodeResult NotOpen(DcPullRequest pr, string what) =>
        DcError.Result(StatusCodes.Status409Conflict, $"Pull request {pr.Id} is {pr.State} and cannot be {what}.", "com.atlassian.bitbucket.pull.IllegalPullRequestStateException");

    /// <summary>The signed-in user's review status; changing it does not change the pull request's version.</summary>
    private IResult SetStatus(HttpContext context, DcPullRequest pr, string status)
    {
        if (pr.State != "OPEN")
        {
            return NotOpen(pr, "reviewed");
        }

        var participant = pr.Participant(data.User.Username);
        participant.Status = status;
        pr.Record(status switch { "APPROVED" => "APPROVED", "NEEDS_WORK" => "REVIEWED", _ => "UNAPPROVED" }, data.User.Username, services.Options.TimeProvider.GetUtcNow());
        return new JsonNodeResult(DcShapes.Participant(participant, data.User, BaseUrl(context)));
    }

    private IResult UpdateParticipant(HttpContext context, DcPullRequest pr, string userSlug)
    {
        if (!string.Equals(userSlug, data.User.Username, StringComparison.OrdinalIgnoreCase))
        {
            return DcError.Field("userSlug", $"Only your own status can be changed; you are {data.User.Username}, not {userSlug}.");
        }

        // The version is optional here; when given, it must be current.
        if (context.Request.Query["version"].Count > 0 && CheckVersion(pr, QueryVersion(context)) is { } stale)
        {
            return stale;
        }

        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var status = Text(body, "status")
            ?? (body["approved"] is JsonValue v && v.TryGetValue<bool>(out var approved) ? (approved ? "APPROVED" : "UNAPPROVED") : null);
        if (status is null || !ParticipantStates.Contains(status))
        {
            return DcError.Field("status", $"status must be one of {string.Join(", ", ParticipantStates)}.");
        }

        return SetStatus(context, pr, status);
    }

    private IResult Comments(HttpContext context, DcPullRequest pr) =>
        DcPaging.Page(context, pr.Comments, x => DcShapes.Comment(x, data.User, BaseUrl(context)));

    /// <summary>The conversation, newest first.</summary>
    private IResult Activities(HttpContext context, DcPullRequest pr) =>
        DcPaging.Page(context, pr.Activities.AsEnumerable().Reverse().ToList(), x => DcShapes.Activity(x, data.User, BaseUrl(context)));

    private IResult AddComment(HttpContext context, DcPullRequest pr)
    {
        if (ReadBody(context, out var body) is { } bad)
        {
            return bad;
        }

        var text = Text(body, "text");
        if (string.IsNullOrWhiteSpace(text))
        {
            return DcError.Field("text", "A comment needs text.");
        }

        var now = services.Options.TimeProvider.GetUtcNow();
        var comment = new DcComment((pr.Id * 1000) + pr.Comments.Count + 1, text, data.User.Username, now);
        pr.Comments.Add(comment);
        pr.Record("COMMENTED", data.User.Username, now, comment);
        return new JsonNodeResult(DcShapes.Comment(comment, data.User, BaseUrl(context)), StatusCodes.Status201Created);
    }
}
