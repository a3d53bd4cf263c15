using Bitbucket.Cli.Tests.Support;

namespace Bitbucket.Cli.Tests;

/// <summary>
/// Issue 13 item 2 and the config half of item 9: bb trusts hosts.json only as ssh trusts its files
/// (StrictModes). A planted configuration — writable by others, owned by someone else, or not a regular
/// file at all — is one line naming the file, exit 1, and nothing is sent to the hosts it names.
/// </summary>
public sealed class ConfigTrustTests(ProviderFixture provider) : IClassFixture<ProviderFixture>
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;

    /// <summary>A default host whose API and OAuth URLs are the planter's, with a stored login.</summary>
    private static string Planted(string origin) => """
        {"version": 1, "defaultHost": "planted", "hosts": {"planted": {"apiUrl": "ORIGIN",
         "requestTokenUrl": "ORIGIN/request", "authorizeUrl": "ORIGIN/authorize", "accessTokenUrl": "ORIGIN/access",
         "signatureMethod": "HMAC-SHA1", "consumerKey": "k", "consumerSecret": "s", "defaultAccount": "alice",
         "accounts": {"alice": {"token": "t", "tokenSecret": "ts"}}}}}
        """.Replace("ORIGIN", origin, StringComparison.Ordinal);

    private static async Task<(BbProcess Bb, string HostsFile)> PlantAsync(string origin, UnixFileMode fileMode, UnixFileMode directoryMode)
    {
        var bb = new BbProcess();
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        await File.WriteAllTextAsync(path, Planted(origin));
        File.SetUnixFileMode(path, fileMode);
        File.SetUnixFileMode(bb.ConfigDir, directoryMode);
        return (bb, path);
    }

    [Theory]
    [InlineData(0b111_111_111)]
    [InlineData(0b111_111_101)]
    [InlineData(0b111_101_111)]
    public async Task A_config_directory_others_can_write_is_refused_naming_it(int directoryMode)
    {
        await using var server = RawHttpServer.Answering(200, """{"username":"planted"}""");
        var (bb, _) = await PlantAsync(server.Origin, Private, (UnixFileMode)directoryMode);
        using var _ = bb;

        var result = await bb.RunAsync("user", "get");

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains($"{bb.ConfigDir} is writable by group or others", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(0b110_110_110)]
    [InlineData(0b110_000_010)]
    [InlineData(0b110_010_000)]
    public async Task A_hosts_json_others_can_write_is_refused_naming_it_and_left_alone(int fileMode)
    {
        await using var server = RawHttpServer.Answering(200, """{"username":"planted"}""");
        var (bb, path) = await PlantAsync(server.Origin, (UnixFileMode)fileMode, PrivateDirectory);
        using var _ = bb;

        var result = await bb.RunAsync("user", "get");

        var line = CliAssert.OneErrorLine(result, 1);
        Assert.Contains($"{path} is writable by group or others", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.Equal((UnixFileMode)fileMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_hosts_json_or_directory_of_another_user_is_refused()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return; // only root can give a file away; the test machine's run is root (see tests/run)
        }

        await using var server = RawHttpServer.Answering(200, """{"username":"planted"}""");
        var (bb, path) = await PlantAsync(server.Origin, Private, PrivateDirectory);
        using var _ = bb;

        await ChownAsync("65534", path);
        var file = await bb.RunAsync("user", "get");
        await ChownAsync("0", path);
        await ChownAsync("65534", bb.ConfigDir);
        var directory = await bb.RunAsync("user", "get");

        Assert.Contains($"{path} belongs to another user (uid 65534)", CliAssert.OneErrorLine(file, 1), StringComparison.Ordinal);
        Assert.Contains($"{bb.ConfigDir} belongs to another user (uid 65534)", CliAssert.OneErrorLine(directory, 1), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        await ChownAsync("0", bb.ConfigDir);
    }

    [Fact]
    public async Task A_login_never_writes_into_a_directory_others_can_write()
    {
        using var bb = new BbProcess();
        File.SetUnixFileMode(bb.ConfigDir, (UnixFileMode)0b111_111_111);

        var login = await provider.LoginAsync(bb);

        Assert.True(login.ExitCode == 1, login.ToString());
        Assert.Contains($"bb: {bb.ConfigDir} is writable by group or others", CliAssert.StderrLines(login)[^1], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bb.ConfigDir, "hosts.json")));
    }

    [Fact]
    public async Task Every_directory_bb_creates_for_its_config_is_0700()
    {
        using var bb = new BbProcess();
        var top = Path.Combine(bb.Home, "made-by-bb");
        var dir = Path.Combine(top, "nested", "bb");
        bb.Environment["BB_CONFIG_DIR"] = dir;

        var login = await provider.LoginAsync(bb);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(top));
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(Path.Combine(top, "nested")));
        Assert.Equal(PrivateDirectory, File.GetUnixFileMode(dir));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(dir, "hosts.json")));
    }

    [Fact]
    public async Task A_fifo_named_hosts_json_is_refused_instead_of_hanging()
    {
        using var bb = new BbProcess();
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        await RunAsync("mkfifo", path);

        var result = await bb.RunAsync("user", "get");

        Assert.Contains($"{path} is not a regular file", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hosts_json_linked_to_dev_zero_is_refused_without_reading_it()
    {
        using var bb = new BbProcess();
        File.CreateSymbolicLink(Path.Combine(bb.ConfigDir, "hosts.json"), "/dev/zero");

        var result = await bb.RunAsync("auth", "status");

        Assert.Contains("/dev/zero is not a regular file", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hosts_json_larger_than_any_real_one_is_refused()
    {
        using var bb = new BbProcess();
        var path = Path.Combine(bb.ConfigDir, "hosts.json");
        using (var file = File.Create(path))
        {
            file.SetLength(5L * 1024 * 1024);
        }

        File.SetUnixFileMode(path, Private);

        var result = await bb.RunAsync("auth", "status");

        Assert.Contains($"{path} is larger than 1 MiB", CliAssert.OneErrorLine(result, 1), StringComparison.Ordinal);
    }

    private static Task ChownAsync(string owner, string path) => RunAsync("chown", owner, path);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(guard.Token);
        Assert.Equal(0, process.ExitCode);
    }
}
