namespace Bitbucket.Cli.Core.Config;

/// <summary>Where bb keeps its configuration: <c>BB_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/bb</c>, else <c>~/.config/bb</c>.</summary>
internal static class ConfigPaths
{
    /// <summary>Name of the hosts and credentials file inside the configuration directory.</summary>
    public const string HostsFileName = "hosts.json";

    /// <summary>The configuration directory for this environment.</summary>
    /// <param name="environment">Reads an environment variable; empty values count as unset.</param>
    public static string ConfigDirectory(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var explicitDir = EnvironmentVariables.Read(environment, EnvironmentVariables.ConfigDir);
        if (explicitDir is not null)
        {
            return Path.GetFullPath(explicitDir);
        }

        // The XDG base directory spec says relative values are invalid and must be ignored.
        var xdg = EnvironmentVariables.Read(environment, "XDG_CONFIG_HOME");
        if (xdg is not null && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "bb");
        }

        var home = EnvironmentVariables.Read(environment, "HOME") ?? EnvironmentVariables.NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        if (home is null)
        {
            throw new ConfigException($"cannot find a configuration directory: set {EnvironmentVariables.ConfigDir} or HOME");
        }

        return Path.Combine(home, ".config", "bb");
    }

    /// <summary>The hosts and credentials file, <c>&lt;dir&gt;/hosts.json</c>.</summary>
    public static string HostsFile(Func<string, string?> environment)
        => Path.Combine(ConfigDirectory(environment), HostsFileName);
}
