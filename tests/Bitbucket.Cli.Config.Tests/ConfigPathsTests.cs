using Bitbucket.Cli.Core.Config;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

public sealed class ConfigPathsTests
{
    private static readonly string Root = Path.GetTempPath();
    private static readonly string Explicit = Path.Combine(Root, "explicit");
    private static readonly string Xdg = Path.Combine(Root, "xdg");
    private static readonly string Home = Path.Combine(Root, "home");

    [Fact]
    public void BB_CONFIG_DIR_wins_over_XDG_and_HOME()
    {
        var env = Env(("BB_CONFIG_DIR", Explicit), ("XDG_CONFIG_HOME", Xdg), ("HOME", Home));

        Assert.Equal(Explicit, ConfigPaths.ConfigDirectory(env));
        Assert.Equal(Path.Combine(Explicit, "hosts.json"), ConfigPaths.HostsFile(env));
    }

    [Fact]
    public void XDG_CONFIG_HOME_is_used_with_a_bb_subdirectory()
    {
        var env = Env(("XDG_CONFIG_HOME", Xdg), ("HOME", Home));

        Assert.Equal(Path.Combine(Xdg, "bb"), ConfigPaths.ConfigDirectory(env));
    }

    [Fact]
    public void HOME_dot_config_bb_is_the_fallback()
    {
        var env = Env(("HOME", Home));

        Assert.Equal(Path.Combine(Home, ".config", "bb"), ConfigPaths.ConfigDirectory(env));
        Assert.Equal(Path.Combine(Home, ".config", "bb", "hosts.json"), ConfigPaths.HostsFile(env));
    }

    [Fact]
    public void Empty_variables_count_as_unset()
    {
        var env = Env(("BB_CONFIG_DIR", ""), ("XDG_CONFIG_HOME", ""), ("HOME", Home));

        Assert.Equal(Path.Combine(Home, ".config", "bb"), ConfigPaths.ConfigDirectory(env));
    }

    [Fact]
    public void A_relative_XDG_CONFIG_HOME_is_ignored_as_the_XDG_spec_requires()
    {
        var env = Env(("XDG_CONFIG_HOME", "relative/dir"), ("HOME", Home));

        Assert.Equal(Path.Combine(Home, ".config", "bb"), ConfigPaths.ConfigDirectory(env));
    }

    [Fact]
    public void A_relative_BB_CONFIG_DIR_is_made_absolute()
    {
        var env = Env(("BB_CONFIG_DIR", "some-dir"));

        Assert.Equal(Path.GetFullPath("some-dir"), ConfigPaths.ConfigDirectory(env));
    }

    [Fact]
    public void ForEnvironment_uses_the_standard_location()
    {
        var store = ConfigStore.ForEnvironment(Env(("XDG_CONFIG_HOME", Xdg)), Samples.Cloud);

        Assert.Equal(Path.Combine(Xdg, "bb", "hosts.json"), store.FilePath);
    }
}
