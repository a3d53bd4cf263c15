using System.Diagnostics;
using Bitbucket.Cli.Core.Config;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

public sealed class ConfigStoreConcurrencyTests : IDisposable
{
    private const int Writers = 20;

    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Parallel_updates_from_separate_stores_lose_no_change()
    {
        new ConfigStore(temp.HostsFile, Samples.Cloud).Update(config => config.WithHost(Samples.Local()));
        using var start = new Barrier(Writers);

        var threads = Enumerable.Range(0, Writers).Select(i => new Thread(() =>
        {
            var store = new ConfigStore(temp.HostsFile, Samples.Cloud);
            start.SignalAndWait();
            store.Update(config => config.WithHost(
                config.GetHost("local").WithAccount(new AccountCredentials($"user{i}", $"token{i}", $"secret{i}"), makeDefault: false)));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var local = new ConfigStore(temp.HostsFile, Samples.Cloud).Load().GetHost("local");
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"user{i}").Order(StringComparer.Ordinal), local.Accounts.Keys.Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(0, Writers), i => Assert.Equal($"secret{i}", local.GetAccount($"user{i}")!.TokenSecret));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(temp.HostsFile)!, "*.tmp"));
    }

    [Fact]
    public void Parallel_updates_of_different_hosts_from_a_shared_store_lose_no_change()
    {
        var store = new ConfigStore(temp.HostsFile, Samples.Cloud);

        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, i =>
            store.Update(config => config.WithHost(Samples.Local($"host{i}").WithAccount(Alice))));

        var hosts = store.Load().Hosts;
        Assert.Equal(Writers + 1, hosts.Count);
        Assert.All(Enumerable.Range(0, Writers), i => Assert.Equal(Alice, hosts[$"host{i}"].GetAccount()));
    }

    [Fact]
    public void A_held_lock_makes_update_fail_clearly_and_write_nothing()
    {
        var store = new ConfigStore(temp.HostsFile, Samples.Cloud, lockTimeout: TimeSpan.FromMilliseconds(100));
        store.Update(_ => LocalWithAccounts());
        var before = File.ReadAllBytes(temp.HostsFile);

        using (new FileStream(temp.HostsFile + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.Throws<ConfigException>(() => store.Update(config => config.WithHost(Samples.Local("other"))));
            Assert.Equal($"another bb is writing {temp.HostsFile}; try again when it has finished", error.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(temp.HostsFile));
        store.Update(config => config.WithHost(Samples.Local("other")));
        Assert.True(store.Load().TryGetHost("other", out _));
    }

    [Fact]
    public void The_lock_excludes_other_processes()
    {
        // flock(1) takes the same flock(2) lock .NET takes for FileShare.None on Unix.
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/flock"))
        {
            return;
        }

        var store = new ConfigStore(temp.HostsFile, Samples.Cloud, lockTimeout: TimeSpan.FromMilliseconds(100));
        store.Update(_ => LocalWithAccounts());
        var info = new ProcessStartInfo("/usr/bin/flock", [temp.HostsFile + ".lock", "sh", "-c", "echo locked; read _"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };

        using (var holder = Process.Start(info)!)
        {
            try
            {
                Assert.Equal("locked", holder.StandardOutput.ReadLine());
                var error = Assert.Throws<ConfigException>(() => store.Update(config => config.WithHost(Samples.Local("other"))));
                Assert.StartsWith("another bb is writing", error.Message, StringComparison.Ordinal);
            }
            finally
            {
                holder.StandardInput.Close();
                holder.WaitForExit();
            }
        }

        store.Update(config => config.WithHost(Samples.Local("other")));
        Assert.True(store.Load().TryGetHost("other", out _));
    }
}
