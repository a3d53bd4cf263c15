using System.Net;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Tests;

public sealed class DataCenterApiTests(DataCenterFixture fixture) : IClassFixture<DataCenterFixture>
{
    private const string Demo = DataCenter.Api + "/projects/PROJ/repos/demo";

    /// <summary>The seed at the default 3 pages: 60 service repositories and 60 branches in <c>many</c>.</summary>
    private const int Large = 60;

    private TestClient Client => fixture.Client;

    private Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? json = null) =>
        DataCenter.SendJsonAsync(Client, method, path, fixture.Alice, json);

    private Task<JsonNode> GetAsync(string path) => Client.GetJsonAsync(path, fixture.Alice);

    /// <summary>Follows <c>nextPageStart</c> until <c>isLastPage</c>, checking every page's shape.</summary>
    private async Task<List<JsonNode>> AllPagesAsync(string path, int? limit = null)
    {
        var values = new List<JsonNode>();
        var start = 0;
        var separator = path.Contains('?') ? '&' : '?';
        while (true)
        {
            var page = await GetAsync($"{path}{separator}start={start}" + (limit is null ? "" : $"&limit={limit}"));
            var pageValues = page["values"]!.AsArray();
            Assert.Equal(pageValues.Count, page["size"]!.GetValue<int>());
            Assert.Equal(start, page["start"]!.GetValue<int>());
            Assert.Equal(limit ?? 25, page["limit"]!.GetValue<int>());
            values.AddRange(pageValues.Select(v => v!.DeepClone()));
            if (page["isLastPage"]!.GetValue<bool>())
            {
                Assert.Null(page["nextPageStart"]);
                return values;
            }

            var next = page["nextPageStart"]!.GetValue<int>();
            Assert.Equal(start + pageValues.Count, next);
            start = next;
        }
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("latest")]
    public async Task Application_properties_need_no_authentication(string version)
    {
        var json = JsonNode.Parse(await Client.Http.GetStringAsync($"{DataCenter.ContextPath}/rest/api/{version}/application-properties"))!;
        Assert.Equal("9.2.0", json["version"]!.GetValue<string>());
        Assert.Equal("Bitbucket", json["displayName"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["buildNumber"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(json["buildDate"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_project_holds_more_repositories_than_one_default_page()
    {
        var first = await GetAsync(DataCenter.Api + "/projects/PROJ/repos");
        Assert.Equal(25, first["size"]!.GetValue<int>());
        Assert.Equal(25, first["limit"]!.GetValue<int>());
        Assert.False(first["isLastPage"]!.GetValue<bool>());
        Assert.Equal(25, first["nextPageStart"]!.GetValue<int>());

        var all = await AllPagesAsync(DataCenter.Api + "/projects/PROJ/repos");
        var slugs = all.Select(r => r!["slug"]!.GetValue<string>()).ToList();
        Assert.Equal(Large + 2, slugs.Distinct().Count());
        Assert.Equal(slugs.Count, slugs.Distinct().Count());
        Assert.Contains("demo", slugs);
        Assert.Contains($"service-{Large:000}", slugs);
    }

    [Fact]
    public async Task Branches_span_pages_and_the_default_branch_comes_first()
    {
        var all = await AllPagesAsync(DataCenter.Api + "/projects/PROJ/repos/many/branches", limit: 25);
        Assert.Equal(Large, all.Count);
        Assert.Equal("refs/heads/main", all[0]["id"]!.GetValue<string>());
        Assert.True(all[0]["isDefault"]!.GetValue<bool>());
        Assert.Equal("BRANCH", all[1]["type"]!.GetValue<string>());
        Assert.Equal("feature/item-001", all[1]["displayId"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{40}$", all[1]["latestCommit"]!.GetValue<string>());

        var filtered = await AllPagesAsync(DataCenter.Api + "/projects/PROJ/repos/many/branches?filterText=item-01", limit: 4);
        Assert.Equal(10, filtered.Count);
    }

    [Fact]
    public async Task Limit_is_capped_at_1000_and_bad_paging_parameters_are_400()
    {
        var page = await GetAsync(DataCenter.Api + "/projects/PROJ/repos/many/branches?limit=5000");
        Assert.Equal(1000, page["limit"]!.GetValue<int>());
        Assert.True(page["isLastPage"]!.GetValue<bool>());
        Assert.Equal(Large, page["size"]!.GetValue<int>());

        var past = await GetAsync(DataCenter.Api + "/projects/PROJ/repos/many/branches?start=5000");
        Assert.Equal(0, past["size"]!.GetValue<int>());
        Assert.True(past["isLastPage"]!.GetValue<bool>());

        var (status, body) = await SendAsync(HttpMethod.Get, DataCenter.Api + "/projects/PROJ/repos?limit=-1");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("limit", DataCenter.SingleError(body)["context"]!.GetValue<string>());
    }

    [Fact]
    public async Task Projects_personal_project_and_the_latest_alias()
    {
        var projects = await GetAsync(DataCenter.Api + "/projects");
        Assert.Equal("PROJ", Assert.Single(projects["values"]!.AsArray())!["key"]!.GetValue<string>());

        var personal = await GetAsync(DataCenter.ContextPath + "/rest/api/latest/projects/~ALICE");
        Assert.Equal("PERSONAL", personal["type"]!.GetValue<string>());
        Assert.Equal("alice", personal["owner"]!["name"]!.GetValue<string>());
        var repos = await GetAsync(DataCenter.Api + "/projects/~alice/repos");
        Assert.Equal("dotfiles", Assert.Single(repos["values"]!.AsArray())!["slug"]!.GetValue<string>());
    }

    [Fact]
    public async Task Repository_shape_has_links_under_the_context_path()
    {
        var repo = await GetAsync(Demo);
        var origin = fixture.Provider.BaseUri.GetLeftPart(UriPartial.Authority);
        Assert.Equal("demo", repo["slug"]!.GetValue<string>());
        Assert.Equal("git", repo["scmId"]!.GetValue<string>());
        Assert.Equal("PROJ", repo["project"]!["key"]!.GetValue<string>());
        var clone = repo["links"]!["clone"]!.AsArray().Select(c => c!["href"]!.GetValue<string>()).ToList();
        Assert.Contains($"{origin}/bitbucket/scm/proj/demo.git", clone);
        Assert.Equal($"{origin}/bitbucket/projects/PROJ/repos/demo/browse", repo["links"]!["self"]![0]!["href"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/projects/NOPE", "Project NOPE does not exist.")]
    [InlineData("/projects/PROJ/repos/nope", "Repository PROJ/nope does not exist.")]
    [InlineData("/projects/PROJ/repos/demo/pull-requests/999", "Pull request 999 does not exist in PROJ/demo.")]
    [InlineData("/projects/PROJ/repos/demo/commits/0000000000000000000000000000000000000000", "Commit 0000000000000000000000000000000000000000 does not exist in PROJ/demo.")]
    public async Task Missing_things_are_404_with_a_data_center_error_body(string path, string message)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, DataCenter.Api + path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = DataCenter.SingleError(body);
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Null(error["context"]);
    }

    [Fact]
    public async Task Tags_commits_and_one_commit()
    {
        var tags = (await GetAsync(Demo + "/tags"))["values"]!.AsArray();
        Assert.Equal(["v1.0", "v1.1"], tags.Select(t => t!["displayId"]!.GetValue<string>()));
        Assert.Equal("refs/tags/v1.1", tags[1]!["id"]!.GetValue<string>());

        // v1.1 is where main pointed when seeded (other tests merge into main).
        var commits = (await GetAsync(Demo + "/commits?until=v1.1"))["values"]!.AsArray();
        Assert.Equal(3, commits.Count);
        Assert.Equal(tags[1]!["latestCommit"]!.GetValue<string>(), commits[0]!["id"]!.GetValue<string>());
        Assert.Equal(commits[1]!["id"]!.GetValue<string>(), commits[0]!["parents"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("Initial commit", commits[2]!["message"]!.GetValue<string>());

        var one = await GetAsync(Demo + "/commits/" + commits[1]!["id"]!.GetValue<string>());
        Assert.Equal(commits[1]!["id"]!.GetValue<string>(), one["id"]!.GetValue<string>());
        Assert.True(one["authorTimestamp"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Branches_are_created_and_deleted_through_branch_utils()
    {
        var (created, branch) = await SendAsync(HttpMethod.Post, Demo + "/branches", new { name = "topic/create-delete", startPoint = "refs/heads/develop" });
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal("refs/heads/topic/create-delete", branch!["id"]!.GetValue<string>());

        var (again, conflict) = await SendAsync(HttpMethod.Post, Demo + "/branches", new { name = "topic/create-delete", startPoint = "main" });
        Assert.Equal(HttpStatusCode.Conflict, again);
        DataCenter.SingleError(conflict);

        var defaultBranch = await GetAsync(Demo + "/branches/default");
        Assert.Equal("main", defaultBranch["displayId"]!.GetValue<string>());

        var utils = DataCenter.ContextPath + "/rest/branch-utils/1.0/projects/PROJ/repos/demo/branches";
        var (deleted, _) = await SendAsync(HttpMethod.Delete, utils, new { name = "refs/heads/topic/create-delete" });
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var (gone, body) = await SendAsync(HttpMethod.Delete, utils, new { name = "refs/heads/topic/create-delete" });
        Assert.Equal(HttpStatusCode.NotFound, gone);
        DataCenter.SingleError(body);
        var (refused, _) = await SendAsync(HttpMethod.Delete, utils, new { name = "main" });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
    }

    [Fact]
    public async Task Repositories_are_created_and_deleted()
    {
        var repos = DataCenter.Api + "/projects/~ALICE/repos";
        var (created, repo) = await SendAsync(HttpMethod.Post, repos, new { name = "Scratch Pad", scmId = "git" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("scratch-pad", repo!["slug"]!.GetValue<string>());

        var (duplicate, body) = await SendAsync(HttpMethod.Post, repos, new { name = "Scratch Pad" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        DataCenter.SingleError(body);

        var (deleted, _) = await SendAsync(HttpMethod.Delete, repos + "/scratch-pad");
        Assert.Equal(HttpStatusCode.Accepted, deleted);
        var (missing, _) = await SendAsync(HttpMethod.Get, repos + "/scratch-pad");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    private async Task<JsonNode> CreatePullRequestAsync(string branch)
    {
        var (_, created) = await SendAsync(HttpMethod.Post, Demo + "/branches", new { name = branch, startPoint = "develop" });
        Assert.Equal("refs/heads/" + branch, created!["id"]!.GetValue<string>());
        var (status, pr) = await SendAsync(HttpMethod.Post, Demo + "/pull-requests", new
        {
            title = "Change " + branch,
            description = "Made by a test",
            fromRef = new { id = "refs/heads/" + branch, repository = new { slug = "demo", project = new { key = "PROJ" } } },
            toRef = new { id = "refs/heads/main", repository = new { slug = "demo", project = new { key = "PROJ" } } },
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return pr!;
    }

    [Fact]
    public async Task Pull_request_create_approve_merge_with_a_stale_version_refused()
    {
        var pr = await CreatePullRequestAsync("topic/merge-me");
        var id = pr["id"]!.GetValue<int>();
        Assert.Equal(0, pr["version"]!.GetValue<int>());
        Assert.Equal("OPEN", pr["state"]!.GetValue<string>());
        Assert.Equal("refs/heads/main", pr["toRef"]!["id"]!.GetValue<string>());
        var self = $"{Demo}/pull-requests/{id}";

        var (approved, participant) = await SendAsync(HttpMethod.Post, self + "/approve");
        Assert.Equal(HttpStatusCode.OK, approved);
        Assert.Equal("APPROVED", participant!["status"]!.GetValue<string>());
        Assert.True(participant["approved"]!.GetValue<bool>());

        var (updated, renamed) = await SendAsync(HttpMethod.Put, self, new { version = 0, title = "Renamed" });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(1, renamed!["version"]!.GetValue<int>());
        Assert.Equal("Renamed", renamed["title"]!.GetValue<string>());

        var (stale, error) = await SendAsync(HttpMethod.Post, self + "/merge?version=0");
        Assert.Equal(HttpStatusCode.Conflict, stale);
        Assert.Equal("com.atlassian.bitbucket.pull.PullRequestOutOfDateException", DataCenter.SingleError(error)["exceptionName"]!.GetValue<string>());
        Assert.Equal("OPEN", (await GetAsync(self))["state"]!.GetValue<string>());

        var mainBefore = (await GetAsync(Demo + "/branches?filterText=main"))["values"]![0]!["latestCommit"]!.GetValue<string>();
        var (merged, result) = await SendAsync(HttpMethod.Post, self + "/merge?version=1");
        Assert.Equal(HttpStatusCode.OK, merged);
        Assert.Equal("MERGED", result!["state"]!.GetValue<string>());
        Assert.True(result["closed"]!.GetValue<bool>());
        Assert.Equal(2, result["version"]!.GetValue<int>());
        var mainAfter = await GetAsync(Demo + "/commits?until=main&limit=1");
        Assert.Equal(mainBefore, mainAfter["values"]![0]!["parents"]![0]!["id"]!.GetValue<string>());

        var (again, _) = await SendAsync(HttpMethod.Post, self + "/merge?version=2");
        Assert.Equal(HttpStatusCode.Conflict, again);

        var actions = (await GetAsync(self + "/activities"))["values"]!.AsArray().Select(a => a!["action"]!.GetValue<string>());
        Assert.Equal(["MERGED", "UPDATED", "APPROVED", "OPENED"], actions);
    }

    [Fact]
    public async Task Merge_without_a_version_is_400_and_update_with_a_stale_one_is_409()
    {
        var pr = await CreatePullRequestAsync("topic/versions");
        var self = $"{Demo}/pull-requests/{pr["id"]}";
        var (missing, body) = await SendAsync(HttpMethod.Post, self + "/merge");
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal("version", DataCenter.SingleError(body)["context"]!.GetValue<string>());

        var (stale, _) = await SendAsync(HttpMethod.Put, self, new { version = 7, title = "x" });
        Assert.Equal(HttpStatusCode.Conflict, stale);
    }

    [Fact]
    public async Task Participant_status_decline_reopen_and_the_state_filter()
    {
        var pr = await CreatePullRequestAsync("topic/decline");
        var id = pr["id"]!.GetValue<int>();
        var self = $"{Demo}/pull-requests/{id}";

        var (_, needsWork) = await SendAsync(HttpMethod.Put, self + "/participants/alice", new { status = "NEEDS_WORK" });
        Assert.Equal("NEEDS_WORK", needsWork!["status"]!.GetValue<string>());
        var (staleReview, _) = await SendAsync(HttpMethod.Put, self + "/participants/alice?version=3", new { status = "APPROVED" });
        Assert.Equal(HttpStatusCode.Conflict, staleReview);
        var (other, _) = await SendAsync(HttpMethod.Put, self + "/participants/bob", new { status = "APPROVED" });
        Assert.Equal(HttpStatusCode.BadRequest, other);
        var (_, unapproved) = await SendAsync(HttpMethod.Delete, self + "/approve");
        Assert.Equal("UNAPPROVED", unapproved!["status"]!.GetValue<string>());

        var (declined, result) = await SendAsync(HttpMethod.Post, self + "/decline?version=0");
        Assert.Equal(HttpStatusCode.OK, declined);
        Assert.Equal("DECLINED", result!["state"]!.GetValue<string>());
        var declinedIds = (await GetAsync(Demo + "/pull-requests?state=DECLINED"))["values"]!.AsArray().Select(p => p!["id"]!.GetValue<int>());
        Assert.Contains(id, declinedIds);
        var byTitle = (await GetAsync(Demo + "/pull-requests?state=ALL&filterText=TOPIC/DECLINE"))["values"]!.AsArray();
        Assert.Equal(id, Assert.Single(byTitle)!["id"]!.GetValue<int>());
        var openIds = (await GetAsync(Demo + "/pull-requests"))["values"]!.AsArray().Select(p => p!["id"]!.GetValue<int>());
        Assert.DoesNotContain(id, openIds);
        Assert.Contains(1, openIds);

        var (reopened, back) = await SendAsync(HttpMethod.Post, self + "/reopen?version=1");
        Assert.Equal(HttpStatusCode.OK, reopened);
        Assert.Equal("OPEN", back!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Comments_are_added_listed_and_shown_in_the_activities()
    {
        var self = $"{Demo}/pull-requests/2";
        var (created, comment) = await SendAsync(HttpMethod.Post, self + "/comments", new { text = "Looks good" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("Looks good", comment!["text"]!.GetValue<string>());

        var comments = (await GetAsync(self + "/comments"))["values"]!.AsArray();
        Assert.Contains(comments, c => c!["id"]!.GetValue<int>() == comment["id"]!.GetValue<int>());
        var latest = (await GetAsync(self + "/activities?limit=1"))["values"]![0]!;
        Assert.Equal("COMMENTED", latest["action"]!.GetValue<string>());
        Assert.Equal("Looks good", latest["comment"]!["text"]!.GetValue<string>());

        var (empty, body) = await SendAsync(HttpMethod.Post, self + "/comments", new { text = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty);
        Assert.Equal("text", DataCenter.SingleError(body)["context"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_a_pull_request_validates_its_fields()
    {
        var (noTitle, body) = await SendAsync(HttpMethod.Post, Demo + "/pull-requests", new { fromRef = new { id = "refs/heads/develop" } });
        Assert.Equal(HttpStatusCode.BadRequest, noTitle);
        Assert.Equal("title", DataCenter.SingleError(body)["context"]!.GetValue<string>());

        var (noBranch, _) = await SendAsync(HttpMethod.Post, Demo + "/pull-requests", new { title = "t", fromRef = new { id = "refs/heads/nope" } });
        Assert.Equal(HttpStatusCode.BadRequest, noBranch);

        var (duplicate, conflict) = await SendAsync(HttpMethod.Post, Demo + "/pull-requests", new
        {
            title = "again",
            fromRef = new { id = "refs/heads/feature/login" },
            toRef = new { id = "refs/heads/main" },
        });
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        DataCenter.SingleError(conflict);
    }

    [Fact]
    public async Task Build_statuses_are_posted_and_listed_one_per_key()
    {
        var commit = DataCenter.ContextPath + "/rest/build-status/1.0/commits/0123456789abcdef0123456789abcdef01234567";
        var (posted, _) = await SendAsync(HttpMethod.Post, commit, new { state = "INPROGRESS", key = "ci", url = "http://ci.invalid/1" });
        Assert.Equal(HttpStatusCode.NoContent, posted);
        await SendAsync(HttpMethod.Post, commit, new { state = "SUCCESSFUL", key = "ci", url = "http://ci.invalid/1", name = "CI" });

        var statuses = (await GetAsync(commit))["values"]!.AsArray();
        var status = Assert.Single(statuses)!;
        Assert.Equal("SUCCESSFUL", status["state"]!.GetValue<string>());
        Assert.Equal("CI", status["name"]!.GetValue<string>());

        var (bad, body) = await SendAsync(HttpMethod.Post, commit, new { state = "GREEN", key = "ci", url = "http://ci.invalid" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("state", DataCenter.SingleError(body)["context"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_are_recorded_with_the_context_path_and_without_the_signature()
    {
        await GetAsync(Demo + "/tags?limit=1");
        var log = JsonNode.Parse(await Client.Http.GetStringAsync("/__test/requests?limit=1"))!["requests"]![0]!;
        Assert.Equal(Demo + "/tags?limit=1", log["target"]!.GetValue<string>());
        Assert.Equal(200, log["status"]!.GetValue<int>());
        var authorization = log["headers"]!["Authorization"]!.GetValue<string>();
        Assert.Contains("oauth_signature_method=\"RSA-SHA1\"", authorization);
        Assert.DoesNotContain("oauth_signature=", authorization);
        Assert.Contains("%2Fbitbucket%2Frest%2Fapi%2F1.0%2Fprojects%2FPROJ%2Frepos%2Fdemo%2Ftags", log["oauth_base_string"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fail_next_answers_with_a_data_center_error_body()
    {
        using (var arm = await Client.Http.PostAsync("/__test/fail-next?status=503&count=1", null))
        {
            Assert.Equal(HttpStatusCode.OK, arm.StatusCode);
        }

        var (status, body) = await SendAsync(HttpMethod.Get, Demo);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        DataCenter.SingleError(body);
        Assert.Equal("demo", (await GetAsync(Demo))["slug"]!.GetValue<string>());
    }
}
