using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Config;

namespace Bitbucket.Cli;

/// <summary>The host this run talks to and its flavour, decided before any command is registered.</summary>
internal sealed record StartupHost(string Name, ApiFlavor Flavor)
{
    /// <summary>False when hosts.json was read and does not hold this host (a first login, or a typo in --host).</summary>
    public bool Known { get; init; } = true;

    /// <summary>
    /// <c>--host NAME</c>/<c>--host=NAME</c> from <paramref name="args"/>, else <c>BB_HOST</c>, else the default
    /// host — the precedence of <see cref="CredentialResolver.HostName"/>, the only one. A missing or corrupt
    /// hosts.json, or a host it does not hold yet (a first login), is Bitbucket Cloud here: the command itself
    /// reports the problem as it always has.
    /// </summary>
    public static StartupHost Resolve(IReadOnlyList<string> args, ConfigStore store, HostConfig builtIn, Func<string, string?> environment)
    {
        BbConfig config;
        try
        {
            config = store.Load();
        }
        catch (ConfigException)
        {
            // The command reports the file's problem; nothing is known about the host here.
            return new(CredentialResolver.HostName(BbConfig.Empty(builtIn), environment, HostOption(args)), ApiFlavor.Cloud);
        }

        var name = CredentialResolver.HostName(config, environment, HostOption(args));
        return config.TryGetHost(name, out var host)
            ? new(host.Name, host.Flavor)
            : new(name, ApiFlavor.Cloud) { Known = false, KnownHosts = config.Hosts.Keys.Order(StringComparer.Ordinal).ToArray() };
    }

    /// <summary>The hosts hosts.json holds, when <see cref="Known"/> is false.</summary>
    public IReadOnlyList<string> KnownHosts { get; init; } = [];

    /// <summary>The last <c>--host</c> value before <c>--</c>, if any.</summary>
    internal static string? HostOption(IReadOnlyList<string> args) => OptionValue(args, "--host");

    /// <summary>The last value of the option <paramref name="option"/> (<c>--name VALUE</c> or <c>--name=VALUE</c>) before <c>--</c>, if any.</summary>
    internal static string? OptionValue(IReadOnlyList<string> args, string option)
    {
        string? host = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                break;
            }

            if (arg == option && i + 1 < args.Count)
            {
                host = args[++i];
            }
            else if (arg.StartsWith(option + "=", StringComparison.Ordinal))
            {
                host = arg[(option.Length + 1)..];
            }
        }

        return host;
    }

    /// <summary>The first two words that are not options (nor <c>--host</c>'s value): the group and the command.</summary>
    internal static (string? Group, string? Command) CommandWords(IReadOnlyList<string> args)
    {
        var words = new List<string>(2);
        for (var i = 0; i < args.Count && words.Count < 2; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                break;
            }

            if (arg == "--host")
            {
                i++;
            }
            else if (!arg.StartsWith('-'))
            {
                words.Add(arg);
            }
        }

        return (words.ElementAtOrDefault(0), words.ElementAtOrDefault(1));
    }

    /// <summary>The line root and group help show: <c>Host: work (Bitbucket Data Center)</c>.</summary>
    public string HelpLine => $"Host: {Name} ({ApiFlavors.DisplayName(Flavor)})";
}
