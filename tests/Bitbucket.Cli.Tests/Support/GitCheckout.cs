using System.Diagnostics;
using System.Text.Json;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>
/// A real git repository in a temporary directory, driven by the real git with an empty global and
/// system configuration: the checkout bb runs in for repository-context tests. A bare repository on
/// disk stands in for the server where a push or fetch is needed (<see cref="AddBareRemote"/>).
/// </summary>
public sealed class GitCheckout : IDisposable
{
    public GitCheckout()
    {
        Root = Directory.CreateTempSubdirectory("bb-test-git-").FullName;
        Path = System.IO.Path.Combine(Root, "work");
        Directory.CreateDirectory(Path);
        Run("init", "-q", "-b", "main");
    }

    /// <summary>Holds the checkout and any bare repositories.</summary>
    public string Root { get; }

    /// <summary>The work tree: where bb is started.</summary>
    public string Path { get; }

    /// <summary>Environment for git (and for bb, which runs git): no global or system configuration, fixed identity.</summary>
    public static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_AUTHOR_NAME"] = "Alice",
        ["GIT_AUTHOR_EMAIL"] = "alice@example.com",
        ["GIT_COMMITTER_NAME"] = "Alice",
        ["GIT_COMMITTER_EMAIL"] = "alice@example.com",
        ["GIT_TERMINAL_PROMPT"] = "0",
    };

    /// <summary>Gives <paramref name="bb"/> this checkout as its working directory and git's test environment.</summary>
    public void Prepare(BbProcess bb)
    {
        bb.WorkingDirectory = Path;
        foreach (var (key, value) in Environment)
        {
            bb.Environment[key] = value;
        }
    }

    public void AddRemote(string name, string url) => Run("remote", "add", name, url);

    /// <summary>
    /// A bare repository standing in for the server at <paramref name="url"/>: git's own <c>insteadOf</c>
    /// sends fetches and pushes for that URL to the bare repository on disk, while the remote's configured
    /// URL (what bb reads) stays the Bitbucket one.
    /// </summary>
    public string AddBareRemote(string name, string url)
    {
        var bare = System.IO.Path.Combine(Root, "server-" + name + ".git");
        Git(Root, "init", "-q", "--bare", "-b", "main", bare);
        AddRemote(name, url);
        Run("config", "url." + bare + ".insteadOf", url);
        return bare;
    }

    public string Commit(string message, string file = "README.md")
    {
        File.AppendAllText(System.IO.Path.Combine(Path, file), message + "\n");
        Run("add", file);
        Run("commit", "-q", "-m", message);
        return Run("rev-parse", "HEAD").Trim();
    }

    public string Run(params string[] args) => Git(Path, args);

    public static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("git " + string.Join(' ', args));
        }

        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
    }

    /// <summary>Makes <paramref name="host"/> the default host in bb's hosts.json, so that only a remote can pick another one.</summary>
    public static void MakeDefaultHost(BbProcess bb, string host)
    {
        var file = System.IO.Path.Combine(bb.ConfigDir, "hosts.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        Assert.NotNull(json["defaultHost"]);
        json["defaultHost"] = host;
        File.WriteAllText(file, json.ToJsonString());
    }

    /// <summary>The request targets (path and query) a provider with test hooks received, oldest first.</summary>
    public static async Task<List<string>> RequestTargetsAsync(string origin)
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(origin + "/__test/requests")));
        return document.RootElement.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("target").GetString()!).ToList();
    }

    public static async Task ClearRequestsAsync(string origin)
    {
        using var http = new HttpClient();
        using var response = await http.DeleteAsync(new Uri(origin + "/__test/requests"));
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
