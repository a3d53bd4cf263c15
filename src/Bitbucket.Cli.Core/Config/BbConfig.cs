using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// Everything in <c>hosts.json</c>: the hosts by name and which one is the default. Immutable and
/// always valid: the default host exists, every host passes validation, and the built-in
/// <see cref="HostConfig.BitbucketCloudName"/> host is always present. Change it with the
/// <c>With…</c> methods inside <see cref="ConfigStore.Update"/>.
/// </summary>
internal sealed class BbConfig
{
    /// <summary>Host and account names compare ordinally, ignoring case.</summary>
    public static StringComparer NameComparer => StringComparer.OrdinalIgnoreCase;

    /// <param name="builtIn">The built-in Bitbucket Cloud host (<see cref="HostConfig.BitbucketCloud"/>).</param>
    /// <param name="defaultHost">Must name one of <paramref name="hosts"/> or the built-in host.</param>
    /// <param name="hosts">The built-in host is added when it is not among them.</param>
    /// <exception cref="ArgumentException">A host is invalid, two share a name, or the default host does not exist.</exception>
    public BbConfig(HostConfig builtIn, string defaultHost, IEnumerable<HostConfig> hosts)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        ArgumentNullException.ThrowIfNull(defaultHost);
        ArgumentNullException.ThrowIfNull(hosts);
        BuiltIn = builtIn;

        var builder = ImmutableDictionary.CreateBuilder<string, HostConfig>(NameComparer);
        foreach (var host in hosts)
        {
            ArgumentNullException.ThrowIfNull(host, nameof(hosts));
            if (host.FindProblem() is { } problem)
            {
                throw new ArgumentException(problem, nameof(hosts));
            }

            if (!builder.TryAdd(host.Name, host))
            {
                throw new ArgumentException($"two hosts are named '{host.Name}' (names ignore case)", nameof(hosts));
            }
        }

        builder.TryAdd(builtIn.Name, builtIn);
        if (!builder.TryGetKey(defaultHost, out var canonicalDefault))
        {
            throw new ArgumentException($"the default host '{defaultHost}' is not one of the hosts", nameof(defaultHost));
        }

        DefaultHost = canonicalDefault;
        Hosts = builder.ToImmutable();
    }

    /// <summary>The configuration bb has when no file exists: only the built-in host, which is the default.</summary>
    public static BbConfig Empty(HostConfig builtIn) => new(builtIn, builtIn.Name, []);

    /// <summary>The built-in host as it is before any login; removing the host resets it to this.</summary>
    public HostConfig BuiltIn { get; }

    /// <summary>Name of the host used when neither <c>--host</c> nor <c>BB_HOST</c> names one.</summary>
    public string DefaultHost { get; }

    /// <summary>Hosts by name (<see cref="NameComparer"/>).</summary>
    public ImmutableDictionary<string, HostConfig> Hosts { get; }

    public bool TryGetHost(string name, [NotNullWhen(true)] out HostConfig? host) => Hosts.TryGetValue(name, out host);

    /// <exception cref="ConfigException">No host has that name.</exception>
    public HostConfig GetHost(string name)
        => TryGetHost(name, out var host) ? host : throw UnknownHost(name);

    /// <summary>Adds or replaces a host (by <see cref="HostConfig.Name"/>, ignoring case).</summary>
    /// <exception cref="ArgumentException">The host is invalid.</exception>
    public BbConfig WithHost(HostConfig host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var replacesDefault = NameComparer.Equals(host.Name, DefaultHost);
        return new BbConfig(BuiltIn, replacesDefault ? host.Name : DefaultHost, Hosts.Remove(host.Name).Values.Append(host));
    }

    /// <summary>
    /// Removes a host with its accounts and secrets. Removing the built-in host resets it to its
    /// built-in settings; removing the default host makes the built-in host the default.
    /// </summary>
    /// <exception cref="ConfigException">No host has that name.</exception>
    public BbConfig WithoutHost(string name)
    {
        var host = GetHost(name);
        var defaultHost = NameComparer.Equals(host.Name, DefaultHost) ? BuiltIn.Name : DefaultHost;
        return new BbConfig(BuiltIn, defaultHost, Hosts.Remove(host.Name).Values);
    }

    /// <exception cref="ConfigException">No host has that name.</exception>
    public BbConfig WithDefaultHost(string name) => new(BuiltIn, GetHost(name).Name, Hosts.Values);

    /// <summary>
    /// Logout: removes an account (the host's default account when <paramref name="username"/> is
    /// null) with its token and token secret; see <see cref="HostConfig.WithoutAccount"/>.
    /// </summary>
    /// <exception cref="ConfigException">No such host, or no such account on it.</exception>
    public BbConfig WithoutAccount(string hostName, string? username = null)
    {
        var host = GetHost(hostName);
        var account = host.GetAccount(username)
            ?? throw new ConfigException(username is null
                ? $"not logged in to host '{host.Name}'"
                : $"no account '{username}' on host '{host.Name}'");
        return WithHost(host.WithoutAccount(account.Username));
    }

    public override string ToString()
        => $"BbConfig {{ DefaultHost = {DefaultHost}, Hosts = [{string.Join(", ", Hosts.Values.OrderBy(h => h.Name, StringComparer.Ordinal))}] }}";

    internal ConfigException UnknownHost(string name)
        => new($"unknown host '{name}'; run bb auth login --host {name} to add it (configured hosts: {string.Join(", ", Hosts.Keys.Order(StringComparer.Ordinal))})");
}
