using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bitbucket.Cli.Tests.Support;
using Bitbucket.LocalProvider;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Walks docs/adding-endpoints.md the way a spec author does, on a copy of the repository: add the
/// documented entry to <c>api-spec.json</c>, build with the documented commands, run the documented
/// command with the tool just built, and check the signed request on the wire. The JSON entry and
/// every command come from the markdown (the blocks under <c>&lt;!-- walked by … --&gt;</c> markers),
/// so when the guide changes, this test follows it.
/// </summary>
public sealed partial class AddingEndpointTests
{
    private const string Guide = "docs/adding-endpoints.md";

    // A hang guard for two builds (one of them a first build with a restore) on a loaded 2-core
    // machine, not a performance assertion.
    private static readonly TimeSpan WalkGuard = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task The_guide_adds_an_endpoint_that_then_sends_a_signed_request()
    {
        var blocks = MarkedBlocks(File.ReadAllText(Path.Combine(BbProcess.RepoRoot, Guide)));
        var entry = JsonNode.Parse(blocks["spec-entry"])!.AsObject();
        var firstBuild = SingleCommand(blocks["first-build"]);
        var rebuild = SingleCommand(blocks["rebuild"]);
        var tryIt = SingleCommand(blocks["try"]);

        using var guard = new CancellationTokenSource(WalkGuard);
        var copy = Directory.CreateTempSubdirectory("bb-adding-endpoint-").FullName;
        try
        {
            await CopyTrackedFilesAsync(BbProcess.RepoRoot, copy, guard.Token);

            // A developer has built once before editing the spec.
            var first = await ShellAsync(firstBuild, copy, environment: null, guard.Token);
            Assert.True(first.ExitCode == 0, $"{firstBuild}\n{first.Output}");

            AddEntry(Path.Combine(copy, "api-spec.json"), entry);
            var built = await ShellAsync(rebuild, copy, environment: null, guard.Token);
            Assert.True(built.ExitCode == 0, $"{rebuild}\n{built.Output}");

            await using var provider = await LocalProviderServer.StartAsync(
                new LocalProviderOptions { TestHooks = true, AutoApprove = true }, guard.Token);
            var apiUrl = provider.BaseUri.GetLeftPart(UriPartial.Authority);
            using var bb = new BbProcess();
            var login = await ProviderLogin.LoginAsync(bb, apiUrl, "local", ProviderFixture.ConsumerKey, ProviderFixture.ConsumerSecret);
            Assert.True(login.ExitCode == 0, login.ToString());
            var (token, _) = ProviderLogin.StoredToken(bb);

            // The new command, run by the tool built in the copy, with the logged-in configuration.
            var run = await ShellAsync(tryIt, copy, new Dictionary<string, string> { ["BB_CONFIG_DIR"] = bb.ConfigDir, ["HOME"] = bb.Home }, guard.Token);

            var expected = ExpectedRequest(entry, tryIt);
            using var log = JsonDocument.Parse(await GetStringAsync(new Uri(provider.BaseUri, "/__test/requests"), guard.Token));
            var sent = log.RootElement.GetProperty("requests").EnumerateArray()
                .Where(r => PathOf(r.GetProperty("target").GetString()!) == expected.Path)
                .ToList();
            var request = Assert.Single(sent);

            Assert.Equal(expected.Method, request.GetProperty("method").GetString());
            Assert.Equal(expected.Query, QueryOf(request.GetProperty("target").GetString()!));
            var authorization = OAuthParameters(request.GetProperty("headers").GetProperty("Authorization").GetString()!);
            Assert.Equal(ProviderFixture.ConsumerKey, authorization["oauth_consumer_key"]);
            Assert.Equal(token, authorization["oauth_token"]);
            Assert.Equal("HMAC-SHA1", authorization["oauth_signature_method"]);
            Assert.NotEmpty(authorization["oauth_nonce"]);
            Assert.NotEmpty(authorization["oauth_timestamp"]);

            // The provider does not model tasks: it verifies the signature (401 if wrong), then answers 404.
            Assert.Equal(404, request.GetProperty("status").GetInt32());
            Assert.True(run.ExitCode == 1, $"{tryIt}\n{run.Output}");
            Assert.Contains("Resource not found", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData(Guide)]
    [InlineData("README.md")]
    public void The_documented_example_is_not_in_the_spec_yet(string document)
    {
        var entry = JsonNode.Parse(MarkedBlocks(File.ReadAllText(Path.Combine(BbProcess.RepoRoot, document)))["spec-entry"])!.AsObject();
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(BbProcess.RepoRoot, "api-spec.json")))!;
        // Names are unique per API (a Data Center command may share a Cloud one's group and name).
        var api = Text(entry, "api") ?? "cloud";
        var endpoints = spec["endpoints"]!.AsArray().Select(e => e!.AsObject()).Where(e => (Text(e, "api") ?? "cloud") == api).ToList();

        Assert.DoesNotContain(endpoints, e => Text(e, "group") == Text(entry, "group") && Text(e, "name") == Text(entry, "name"));
        Assert.DoesNotContain(endpoints, e => Text(e, "method") == Text(entry, "method") && Text(e, "path") == Text(entry, "path"));
    }

    /// <summary>The fenced blocks right under <c>&lt;!-- walked by …: NAME --&gt;</c>, by NAME, with the list indentation removed.</summary>
    internal static Dictionary<string, string> MarkedBlocks(string markdown)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in MarkedBlock().Matches(markdown.ReplaceLineEndings("\n")))
        {
            var indent = match.Groups["indent"].Value;
            var lines = match.Groups["body"].Value.Split('\n')
                .Select(line => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line);
            Assert.True(blocks.TryAdd(match.Groups["name"].Value, string.Join('\n', lines)), "marked twice: " + match.Groups["name"].Value);
        }

        return blocks;
    }

    [GeneratedRegex(@"^(?<indent>[ ]*)<!-- walked by [^:]+: (?<name>[a-z-]+) -->\n[ ]*\n?[ ]*```[a-z]*\n(?<body>.*?)\n[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex MarkedBlock();

    private static string SingleCommand(string block)
    {
        var lines = block.Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        Assert.True(lines.Count == 1, "expected one command line in:\n" + block);
        return lines[0].Trim();
    }

    private static string? Text(JsonObject node, string key) => node[key]?.GetValue<string>();

    /// <summary>Inserts the entry after the last endpoint of its group, as the guide says.</summary>
    private static void AddEntry(string specPath, JsonObject entry)
    {
        var spec = JsonNode.Parse(File.ReadAllText(specPath))!;
        var endpoints = spec["endpoints"]!.AsArray();
        var group = Text(entry, "group");
        var last = endpoints.Select((e, i) => (e, i)).LastOrDefault(p => Text(p.e!.AsObject(), "group") == group).i;
        endpoints.Insert(last + 1, entry.DeepClone());
        File.WriteAllText(specPath, spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }

    private sealed record Expected(string Method, string Path, Dictionary<string, string> Query);

    /// <summary>
    /// What the documented command must put on the wire, from the entry and the command line: its
    /// positional arguments fill the path placeholders in order, its <c>--options</c> are the query.
    /// </summary>
    private static Expected ExpectedRequest(JsonObject entry, string commandLine)
    {
        var words = ShellWords(commandLine);
        Assert.Equal(new[] { Text(entry, "group"), Text(entry, "name") }, words.Skip(1).Take(2).ToArray());
        var positional = words.Skip(3).TakeWhile(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var options = words.Skip(3 + positional.Count).ToList();

        var parameters = entry["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var path = Text(entry, "path")!;
        var placeholders = Regex.Matches(path, @"\{([^}]+)\}").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(placeholders.Count, positional.Count);
        for (var i = 0; i < placeholders.Count; i++)
        {
            path = path.Replace("{" + placeholders[i] + "}", Uri.EscapeDataString(positional[i]), StringComparison.Ordinal);
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i += 2)
        {
            var option = options[i][2..];
            var parameter = parameters.Single(p => Text(p, "in") == "query" && Text(p, "name")!.Replace('_', '-') == option);
            query[Text(parameter, "name")!] = options[i + 1];
        }

        return new Expected(Text(entry, "method")!, path, query);
    }

    /// <summary>POSIX shell words: enough for the guide's command lines (quotes and backslashes).</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                (i, inWord) = (end, true);
            }
            else if (c == '"')
            {
                for (i++; line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && "\"\\$`".Contains(line[i + 1], StringComparison.Ordinal))
                    {
                        i++;
                    }

                    word.Append(line[i]);
                }

                inWord = true;
            }
            else if (c == '\\')
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string PathOf(string target) => target.Split('?')[0];

    private static Dictionary<string, string> QueryOf(string target)
    {
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);
    }

    private static Dictionary<string, string> OAuthParameters(string header)
    {
        Assert.StartsWith("OAuth ", header, StringComparison.Ordinal);
        return Regex.Matches(header, @"(\w+)=""([^""]*)""")
            .ToDictionary(m => m.Groups[1].Value, m => Uri.UnescapeDataString(m.Groups[2].Value), StringComparer.Ordinal);
    }

    private static async Task<string> GetStringAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(uri, cancellationToken);
    }

    /// <summary>The repository as committed plus local edits: the files git tracks, no bin/obj.</summary>
    private static async Task CopyTrackedFilesAsync(string root, string destination, CancellationToken cancellationToken)
    {
        var listed = await ShellAsync("git ls-files -z", root, environment: null, cancellationToken);
        Assert.True(listed.ExitCode == 0, listed.Output);
        foreach (var file in listed.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(root, file);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree
            }

            var target = Path.Combine(destination, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }

    private sealed record ShellResult(int ExitCode, string Output);

    /// <summary>
    /// Runs one documented command line with <c>sh -c</c>, as a person pastes it. Output goes to a file, not a
    /// pipe, so build nodes that outlive the command cannot hold the test up. bb's own environment is
    /// isolated as <see cref="BbProcess"/> does it; MSBuild state inherited from a <c>dotnet test</c> run is dropped.
    /// </summary>
    private static async Task<ShellResult> ShellAsync(string commandLine, string directory, Dictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardInput = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec >\"$WALK_OUTPUT\" 2>&1 </dev/null\n" + commandLine);
            foreach (var key in start.Environment.Keys.ToList())
            {
                if (key.StartsWith("BB_", StringComparison.Ordinal) || key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                    || key is "NO_COLOR" or "BROWSER" or "XDG_CONFIG_HOME" or "DOTNET_HOST_PATH")
                {
                    start.Environment.Remove(key);
                }
            }

            // Worker nodes end with the build instead of idling for minutes after the test.
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["WALK_OUTPUT"] = output;
            foreach (var (key, value) in environment ?? [])
            {
                start.Environment[key] = value;
            }

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{commandLine} did not finish:\n{await File.ReadAllTextAsync(output, CancellationToken.None)}");
            }

            return new ShellResult(process.ExitCode, await File.ReadAllTextAsync(output, cancellationToken));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
