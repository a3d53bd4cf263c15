using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Tests;

public sealed class ApiTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private TestClient Client => fixture.Client;

    private string Origin => $"http://127.0.0.1:{fixture.Provider.Port}";

    private Task<JsonNode> GetAsync(string pathAndQuery) => Client.GetJsonAsync(pathAndQuery, fixture.Alice);

    private static List<string> Names(JsonNode page, string field = "name") =>
        page["values"]!.AsArray().Select(v => v![field]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Many_has_250_branches_in_3_pages_of_100_with_absolute_followable_next_links()
    {
        var names = new List<string>();
        var sizes = new List<int>();
        string? next = "/2.0/repositories/alice/many/refs/branches?pagelen=100";
        while (next is not null)
        {
            var page = await GetAsync(next);
            Assert.Equal(250, page["size"]!.GetValue<int>());
            Assert.Equal(100, page["pagelen"]!.GetValue<int>());
            Assert.Equal(sizes.Count + 1, page["page"]!.GetValue<int>());
            sizes.Add(page["values"]!.AsArray().Count);
            names.AddRange(Names(page));
            next = page["next"]?.GetValue<string>();
            if (next is not null)
            {
                Assert.StartsWith(Origin + "/2.0/repositories/alice/many/refs/branches?", next);
            }

            if (sizes.Count > 1)
            {
                Assert.StartsWith(Origin + "/", page["previous"]!.GetValue<string>());
            }
        }

        Assert.Equal([100, 100, 50], sizes);
        Assert.Equal(250, names.Distinct().Count());
        Assert.Equal("main", names[0]);
    }

    [Fact]
    public async Task Default_pagelen_is_10()
    {
        var page = await GetAsync("/2.0/repositories/alice/many/refs/branches");
        Assert.Equal(10, page["values"]!.AsArray().Count);
        Assert.Equal(10, page["pagelen"]!.GetValue<int>());
        Assert.Equal(Origin + "/2.0/repositories/alice/many/refs/branches?page=2", page["next"]!.GetValue<string>());
        Assert.Null(page["previous"]);
    }

    [Theory]
    [InlineData("pagelen=0")]
    [InlineData("pagelen=101")]
    [InlineData("page=0")]
    [InlineData("page=x")]
    public async Task Bad_paging_parameters_are_400(string query)
    {
        using var response = await Client.GetAsync("/2.0/repositories/alice/many/refs/branches?" + query, fixture.Alice);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await TestProvider.ErrorAsync(response);
    }

    [Fact]
    public async Task Next_link_keeps_the_filter_form_encoded_like_bitbucket()
    {
        var first = await GetAsync("/2.0/repositories/alice/many/refs/branches?q=name%20~%20%22item-00%22&pagelen=5");
        Assert.Equal(9, first["size"]!.GetValue<int>());
        var next = first["next"]!.GetValue<string>();
        Assert.Equal(Origin + "/2.0/repositories/alice/many/refs/branches?q=name+~+%22item-00%22&pagelen=5&page=2", next);

        var second = await GetAsync(next);
        Assert.Equal(["feature/item-006", "feature/item-007", "feature/item-008", "feature/item-009"], Names(second));
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task Branches_can_be_sorted()
    {
        var page = await GetAsync("/2.0/repositories/alice/demo/refs/branches?sort=-name&pagelen=3");
        Assert.Equal(["release/1.0", "main", "hotfix/1.0.1"], Names(page));
    }

    [Fact]
    public async Task Demo_branches_have_bitbucket_shape()
    {
        var page = await GetAsync("/2.0/repositories/alice/demo/refs/branches");
        Assert.Equal(["main", "develop", "feature/login", "feature/oauth", "release/1.0", "bugfix/typo-in-readme", "hotfix/1.0.1"], Names(page));
        var branch = page["values"]![2]!;
        Assert.Equal("branch", branch["type"]!.GetValue<string>());
        Assert.Equal(40, branch["target"]!["hash"]!.GetValue<string>().Length);
        Assert.Equal(Origin + "/2.0/repositories/alice/demo/refs/branches/feature/login", branch["links"]!["self"]!["href"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("feature/login")]
    [InlineData("feature%2Flogin")]
    public async Task One_branch_by_name(string name)
    {
        var branch = await GetAsync("/2.0/repositories/alice/demo/refs/branches/" + name);
        Assert.Equal("feature/login", branch["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unmodelled_2_0_path_checks_the_signature_before_answering_404()
    {
        using var signed = await Client.GetAsync("/2.0/repositories/alice/demo/pullrequests/1/tasks", fixture.Alice);
        Assert.Equal(HttpStatusCode.NotFound, signed.StatusCode);

        using var unsigned = await Client.SendWithHeaderAsync(HttpMethod.Get, "/2.0/repositories/alice/demo/pullrequests/1/tasks", authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task Unknown_branch_is_404()
    {
        using var response = await Client.GetAsync("/2.0/repositories/alice/demo/refs/branches/nope", fixture.Alice);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Branch nope not found", (await TestProvider.ErrorAsync(response)).Message);
    }

    [Fact]
    public async Task Workspaces_and_repositories()
    {
        Assert.Equal(["alice", "big"], Names(await GetAsync("/2.0/workspaces"), "slug"));

        var alice = await GetAsync("/2.0/repositories/alice");
        Assert.Equal(3, alice["size"]!.GetValue<int>());
        Assert.Equal(["alice/demo", "alice/many", "alice/api-client"], Names(alice, "full_name"));

        var big = await GetAsync("/2.0/repositories/big?pagelen=100");
        Assert.Equal(250, big["size"]!.GetValue<int>());
        Assert.NotNull(big["next"]);
    }

    [Fact]
    public async Task Repositories_support_q_sort_and_role()
    {
        var exact = await GetAsync("/2.0/repositories/big?q=" + Uri.EscapeDataString("name = \"api-005\""));
        Assert.Equal(["api-005"], Names(exact));

        var contains = await GetAsync("/2.0/repositories/big?q=" + Uri.EscapeDataString("name ~ \"API\""));
        Assert.Equal(50, contains["size"]!.GetValue<int>());

        var admin = await GetAsync("/2.0/repositories/big?role=admin&sort=name&pagelen=3");
        Assert.Equal(25, admin["size"]!.GetValue<int>());
        Assert.Equal(["api-010", "api-020", "api-030"], Names(admin));

        var byUpdate = await GetAsync("/2.0/repositories/alice?sort=-updated_on");
        Assert.Equal(["demo", "many", "api-client"], Names(byUpdate));

        var owner = await GetAsync("/2.0/repositories/big?role=owner");
        Assert.Equal(0, owner["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_query_and_role_are_400()
    {
        using var q = await Client.GetAsync("/2.0/repositories/big?q=" + Uri.EscapeDataString("name ~"), fixture.Alice);
        Assert.Equal(HttpStatusCode.BadRequest, q.StatusCode);
        using var role = await Client.GetAsync("/2.0/repositories/big?role=king", fixture.Alice);
        Assert.Equal(HttpStatusCode.BadRequest, role.StatusCode);
    }

    [Fact]
    public async Task One_repository_and_unknown_ones()
    {
        var demo = await GetAsync("/2.0/repositories/alice/demo");
        Assert.Equal("alice/demo", demo["full_name"]!.GetValue<string>());
        Assert.Equal("main", demo["mainbranch"]!["name"]!.GetValue<string>());
        Assert.Equal(Origin + "/2.0/repositories/alice/demo", demo["links"]!["self"]!["href"]!.GetValue<string>());

        using var missing = await Client.GetAsync("/2.0/repositories/alice/x", fixture.Alice);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"type":"error","error":{"message":"Repository alice/x not found"}}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_are_404_with_bitbucket_error_json()
    {
        using var response = await Client.GetAsync("/2.0/nothing/here", fixture.Alice);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"type":"error","error":{"message":"Resource not found"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_method_is_404_with_error_json()
    {
        using var response = await Client.SendAsync(HttpMethod.Delete, "/2.0/user", fixture.Alice);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Resource not found", (await TestProvider.ErrorAsync(response)).Message);
    }

    [Fact]
    public async Task Pull_request_create_is_201_and_can_be_read_back()
    {
        var body = """{"title":"Add OAuth","source":{"branch":{"name":"feature/oauth"}},"description":"Signs requests"}""";
        using var response = await Client.SendAsync(
            HttpMethod.Post, "/2.0/repositories/alice/demo/pullrequests", fixture.Alice, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var pr = JsonNode.Parse(text)!;
        var id = pr["id"]!.GetValue<int>();
        Assert.True(id >= 3);
        Assert.Equal("Add OAuth", pr["title"]!.GetValue<string>());
        Assert.Equal("OPEN", pr["state"]!.GetValue<string>());
        Assert.Equal("feature/oauth", pr["source"]!["branch"]!["name"]!.GetValue<string>());
        Assert.Equal("main", pr["destination"]!["branch"]!["name"]!.GetValue<string>());
        var self = pr["links"]!["self"]!["href"]!.GetValue<string>();
        Assert.Equal($"{Origin}/2.0/repositories/alice/demo/pullrequests/{id}", self);
        Assert.Equal(self, response.Headers.Location!.AbsoluteUri);

        var readBack = await GetAsync($"/2.0/repositories/alice/demo/pullrequests/{id}");
        Assert.Equal("Add OAuth", readBack["title"]!.GetValue<string>());
        var open = await GetAsync("/2.0/repositories/alice/demo/pullrequests");
        Assert.Contains(id, open["values"]!.AsArray().Select(v => v!["id"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{"source":{"branch":{"name":"develop"}}}""", "title: This field is required.")]
    [InlineData("""{"title":"x"}""", "source: This field is required.")]
    [InlineData("""{"title":"x","source":{"branch":{"name":"nope"}}}""", "source: Branch not found: nope")]
    [InlineData("""{"title":"x","source":{"branch":{"name":"main"}}}""", "source: Source and destination branches are the same.")]
    [InlineData("""not json""", "Invalid JSON: expected an object")]
    public async Task Pull_request_create_with_bad_fields_is_400(string body, string message)
    {
        using var response = await Client.SendAsync(
            HttpMethod.Post, "/2.0/repositories/alice/demo/pullrequests", fixture.Alice, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await TestProvider.ErrorAsync(response)).Message);
    }

    [Fact]
    public async Task Pull_requests_are_listed_by_state()
    {
        var merged = await GetAsync("/2.0/repositories/alice/demo/pullrequests?state=MERGED");
        Assert.Equal(["OAuth 1.0a sign-in"], Names(merged, "title"));
        var seeded = await GetAsync("/2.0/repositories/alice/demo/pullrequests/1");
        Assert.Equal("Add login page", seeded["title"]!.GetValue<string>());
        using var missing = await Client.GetAsync("/2.0/repositories/alice/demo/pullrequests/999", fixture.Alice);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Legacy_branches_are_an_object_keyed_by_name()
    {
        var branches = (await GetAsync("/1.0/repositories/alice/demo/branches")).AsObject();
        Assert.Contains("feature/login", branches.Select(p => p.Key));
        Assert.Equal("feature/login", branches["feature/login"]!["branch"]!.GetValue<string>());
        Assert.Equal(12, branches["main"]!["node"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Form_echo_returns_the_signed_form_parameters()
    {
        var body = "title=a+b%2Ac&title=second&empty=&flag&unicode=%E2%9C%93";
        using var response = await Client.SendAsync(
            HttpMethod.Post, "/2.0/echo/form", fixture.Alice, new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var form = JsonNode.Parse(text)!["form"]!;
        Assert.Equal(["a b*c", "second"], form["title"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("", form["empty"]![0]!.GetValue<string>());
        Assert.Equal("", form["flag"]![0]!.GetValue<string>());
        Assert.Equal("✓", form["unicode"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Form_echo_refuses_a_body_that_was_signed_differently()
    {
        var header = Client.Sign(HttpMethod.Post, "/2.0/echo/form", fixture.Alice, formBody: "a=1");
        using var response = await Client.SendWithHeaderAsync(
            HttpMethod.Post, "/2.0/echo/form", header, new StringContent("a=2", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Recorded_requests_show_the_exact_target_without_the_signature()
    {
        await GetAsync("/2.0/repositories/alice/demo/refs/branches?q=name%20~%20%22feature%2F%22&pagelen=2");
        var log = JsonNode.Parse(await Client.Http.GetStringAsync("/__test/requests"))!["requests"]!.AsArray();
        var entry = log.Last(e => e!["target"]!.GetValue<string>().Contains("refs/branches?q=", StringComparison.Ordinal))!;
        Assert.Equal("GET", entry["method"]!.GetValue<string>());
        Assert.Equal("/2.0/repositories/alice/demo/refs/branches?q=name%20~%20%22feature%2F%22&pagelen=2", entry["target"]!.GetValue<string>());
        var authorization = entry["headers"]!["Authorization"]!.GetValue<string>();
        Assert.StartsWith("OAuth ", authorization);
        Assert.Contains("oauth_consumer_key=\"bb-local\"", authorization);
        Assert.DoesNotContain("oauth_signature=", authorization);
        Assert.Contains("oauth_signature_method=\"HMAC-SHA1\"", authorization);
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        Assert.StartsWith("GET&http%3A%2F%2F127.0.0.1%3A", entry["oauth_base_string"]!.GetValue<string>());
    }
}
