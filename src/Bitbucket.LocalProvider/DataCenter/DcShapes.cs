using System.Globalization;
using System.Text.Json.Nodes;
using Bitbucket.LocalProvider.Api;
using Bitbucket.LocalProvider.Data;

namespace Bitbucket.LocalProvider.DataCenter;

/// <summary>Data Center's error body: <c>{"errors":[{"context":…,"message":…,"exceptionName":…}]}</c>.</summary>
internal static class DcError
{
    public const string NotFound = "com.atlassian.bitbucket.NoSuchEntityException";
    public const string Validation = "com.atlassian.bitbucket.validation.ArgumentValidationException";
    public const string OutOfDate = "com.atlassian.bitbucket.pull.PullRequestOutOfDateException";
    public const string Conflict = "com.atlassian.bitbucket.ConflictException";
    public const string Unauthorized = "com.atlassian.bitbucket.AuthorisationException";

    public static JsonNodeResult Result(int statusCode, string message, string? exceptionName = null, string? context = null)
    {
        var error = new JsonObject
        {
            ["context"] = context,
            ["message"] = message,
            ["exceptionName"] = exceptionName ?? DefaultName(statusCode),
        };
        return new JsonNodeResult(new JsonObject { ["errors"] = new JsonArray(error) }, statusCode);
    }

    /// <summary>A 400 naming the field at fault in <c>context</c>, as Data Center's validation errors do.</summary>
    public static JsonNodeResult Field(string field, string message) =>
        Result(StatusCodes.Status400BadRequest, message, Validation, field);

    private static string DefaultName(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status409Conflict => Conflict,
        >= 500 => "com.atlassian.bitbucket.ServerException",
        _ => Validation,
    };
}

/// <summary>
/// Data Center paging: <c>start</c> (default 0) and <c>limit</c> (default 25, capped at 1000); the answer is
/// <c>{"size","limit","isLastPage","values","start","nextPageStart"?}</c> with no total count.
/// </summary>
internal static class DcPaging
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 1000;

    public static IResult Page<T>(HttpContext context, IReadOnlyList<T> items, Func<T, JsonNode> shape)
    {
        var query = context.Request.Query;
        if (!TryRead(query["start"], 0, out var start) || start < 0)
        {
            return DcError.Field("start", "start must be a whole number of 0 or more");
        }

        if (!TryRead(query["limit"], DefaultLimit, out var limit) || limit < 1)
        {
            return DcError.Field("limit", "limit must be a whole number of 1 or more");
        }

        limit = Math.Min(limit, MaxLimit);
        var values = new JsonArray();
        for (var i = start; i < Math.Min(items.Count, (long)start + limit); i++)
        {
            values.Add(shape(items[i]));
        }

        var isLastPage = (long)start + limit >= items.Count;
        var body = new JsonObject
        {
            ["size"] = values.Count,
            ["limit"] = limit,
            ["isLastPage"] = isLastPage,
            ["values"] = values,
            ["start"] = start,
        };
        if (!isLastPage)
        {
            body["nextPageStart"] = start + limit;
        }

        return new JsonNodeResult(body);
    }

    private static bool TryRead(string? text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>Data Center's JSON shapes. <c>baseUrl</c> is the request's origin plus the context path.</summary>
internal static class DcShapes
{
    public static long Millis(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static JsonObject Links(string href) => new() { ["self"] = new JsonArray(new JsonObject { ["href"] = href }) };

    public static JsonObject User(UserAccount user, string baseUrl) => new()
    {
        ["name"] = user.Username,
        ["emailAddress"] = DcData.Email(user),
        ["active"] = true,
        ["displayName"] = user.DisplayName,
        ["id"] = 1,
        ["slug"] = user.Username,
        ["type"] = "NORMAL",
        ["links"] = Links($"{baseUrl}/users/{user.Username}"),
    };

    public static JsonObject Project(DcProject project, UserAccount user, string baseUrl)
    {
        var json = new JsonObject
        {
            ["key"] = project.Key,
            ["id"] = project.Id,
            ["name"] = project.Name,
        };
        if (project.Description.Length > 0)
        {
            json["description"] = project.Description;
        }

        json["public"] = false;
        json["type"] = project.Personal ? "PERSONAL" : "NORMAL";
        if (project.Personal)
        {
            json["owner"] = User(user, baseUrl);
        }

        json["links"] = Links(project.Personal ? $"{baseUrl}/users/{user.Username}" : $"{baseUrl}/projects/{project.Key}");
        return json;
    }

    public static JsonObject Repository(DcRepository repository, UserAccount user, string baseUrl)
    {
        var project = repository.Project.Key.ToLowerInvariant();
        var host = new Uri(baseUrl).Host;
        return new JsonObject
        {
            ["slug"] = repository.Slug,
            ["id"] = repository.Id,
            ["name"] = repository.Name,
            ["description"] = repository.Description,
            ["hierarchyId"] = Ids.CommitHash("hierarchy:" + repository.Id)[..20],
            ["scmId"] = "git",
            ["state"] = "AVAILABLE",
            ["statusMessage"] = "Available",
            ["forkable"] = true,
            ["project"] = Project(repository.Project, user, baseUrl),
            ["public"] = repository.Public,
            ["archived"] = false,
            ["links"] = new JsonObject
            {
                ["clone"] = new JsonArray(
                    new JsonObject { ["href"] = $"{baseUrl}/scm/{project}/{repository.Slug}.git", ["name"] = "http" },
                    new JsonObject { ["href"] = $"ssh://git@{host}:7999/{project}/{repository.Slug}.git", ["name"] = "ssh" }),
                ["self"] = new JsonArray(new JsonObject { ["href"] = $"{baseUrl}/projects/{repository.Project.Key}/repos/{repository.Slug}/browse" }),
            },
        };
    }

    public static JsonObject Branch(DcRepository repository, DcRef branch) => new()
    {
        ["id"] = DcData.HeadsPrefix + branch.Name,
        ["displayId"] = branch.Name,
        ["type"] = "BRANCH",
        ["latestCommit"] = branch.LatestCommit,
        ["latestChangeset"] = branch.LatestCommit,
        ["isDefault"] = branch.Name == repository.DefaultBranch,
    };

    public static JsonObject Tag(DcRef tag) => new()
    {
        ["id"] = DcData.TagsPrefix + tag.Name,
        ["displayId"] = tag.Name,
        ["type"] = "TAG",
        ["latestCommit"] = tag.LatestCommit,
        ["latestChangeset"] = tag.LatestCommit,
        ["hash"] = null,
    };

    public static JsonObject Commit(DcCommit commit)
    {
        var person = new JsonObject { ["name"] = commit.AuthorName, ["emailAddress"] = commit.AuthorEmail };
        var parents = new JsonArray();
        foreach (var parent in commit.Parents)
        {
            parents.Add(new JsonObject { ["id"] = parent, ["displayId"] = parent[..11] });
        }

        return new JsonObject
        {
            ["id"] = commit.Id,
            ["displayId"] = commit.Id[..11],
            ["author"] = person,
            ["authorTimestamp"] = Millis(commit.Date),
            ["committer"] = person.DeepClone(),
            ["committerTimestamp"] = Millis(commit.Date),
            ["message"] = commit.Message,
            ["parents"] = parents,
        };
    }

    private static JsonObject Ref(DcRepository repository, string branchName, UserAccount user, string baseUrl) => new()
    {
        ["id"] = DcData.HeadsPrefix + branchName,
        ["displayId"] = branchName,
        ["latestCommit"] = repository.FindBranch(branchName)?.LatestCommit,
        ["type"] = "BRANCH",
        ["repository"] = Repository(repository, user, baseUrl),
    };

    public static JsonObject Participant(DcParticipant participant, UserAccount user, string baseUrl) => new()
    {
        ["user"] = User(user, baseUrl),
        ["role"] = participant.Role,
        ["approved"] = participant.Status == "APPROVED",
        ["status"] = participant.Status,
    };

    public static JsonObject PullRequest(DcRepository repository, DcPullRequest pr, UserAccount user, string baseUrl)
    {
        var author = pr.Participants.FirstOrDefault(p => p.Role == "AUTHOR") ?? new DcParticipant(pr.Author, "AUTHOR");
        var json = new JsonObject
        {
            ["id"] = pr.Id,
            ["version"] = pr.Version,
            ["title"] = pr.Title,
            ["description"] = pr.Description,
            ["state"] = pr.State,
            ["open"] = pr.State == "OPEN",
            ["closed"] = pr.State != "OPEN",
            ["createdDate"] = Millis(pr.Created),
            ["updatedDate"] = Millis(pr.Updated),
        };
        if (pr.Closed is { } closed)
        {
            json["closedDate"] = Millis(closed);
        }

        json["fromRef"] = Ref(repository, pr.FromBranch, user, baseUrl);
        json["toRef"] = Ref(repository, pr.ToBranch, user, baseUrl);
        json["locked"] = false;
        json["author"] = Participant(author, user, baseUrl);
        json["reviewers"] = new JsonArray([.. pr.Participants.Where(p => p.Role == "REVIEWER").Select(p => (JsonNode)Participant(p, user, baseUrl))]);
        json["participants"] = new JsonArray([.. pr.Participants.Where(p => p.Role == "PARTICIPANT").Select(p => (JsonNode)Participant(p, user, baseUrl))]);
        json["properties"] = new JsonObject { ["commentCount"] = pr.Comments.Count, ["openTaskCount"] = 0 };
        json["links"] = Links($"{baseUrl}/projects/{repository.Project.Key}/repos/{repository.Slug}/pull-requests/{pr.Id}");
        return json;
    }

    public static JsonObject Comment(DcComment comment, UserAccount user, string baseUrl) => new()
    {
        ["id"] = comment.Id,
        ["version"] = 0,
        ["text"] = comment.Text,
        ["author"] = User(user, baseUrl),
        ["createdDate"] = Millis(comment.Created),
        ["updatedDate"] = Millis(comment.Created),
        ["comments"] = new JsonArray(),
        ["tasks"] = new JsonArray(),
    };

    public static JsonObject Activity(DcActivity activity, UserAccount user, string baseUrl)
    {
        var json = new JsonObject
        {
            ["id"] = activity.Id,
            ["createdDate"] = Millis(activity.Created),
            ["user"] = User(user, baseUrl),
            ["action"] = activity.Action,
        };
        if (activity.Comment is { } comment)
        {
            json["commentAction"] = "ADDED";
            json["comment"] = Comment(comment, user, baseUrl);
        }

        return json;
    }

    public static JsonObject BuildStatus(DcBuildStatus status) => new()
    {
        ["state"] = status.State,
        ["key"] = status.Key,
        ["name"] = status.Name,
        ["url"] = status.Url,
        ["description"] = status.Description,
        ["dateAdded"] = Millis(status.Added),
    };
}
