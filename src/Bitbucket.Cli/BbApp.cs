using Bitbucket.Cli.Api;
using Bitbucket.Cli.Commands;
using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Terminal;
using Cocona;
using Cocona.Application;
using Microsoft.Extensions.DependencyInjection;

namespace Bitbucket.Cli;

/// <summary>
/// The composition root: wires the Cocona app (on <see cref="CoconaRunner"/>) — services, the
/// generated command groups, auth, api, exit codes.
/// </summary>
public static class BbApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        ProcessHardening.DisableCoreDumps();
        var io = ConsoleIO.FromProcess();
        var ranCommand = false;
        int exitCode;
        args = HelpCommand(args);
        try
        {
            // The host's flavour decides which generated commands exist in this run.
            var builtIn = HostConfig.BitbucketCloud(GeneratedEndpoints.DefaultBaseUrl);
            var store = ConfigStore.ForEnvironment(io.Environment, builtIn, warning => io.Error.WriteLine($"bb: warning: {warning}"));
            args = RepoArguments.Fill(args, store, builtIn, io.Environment);
            var host = StartupHost.Resolve(args, store, builtIn, io.Environment);
            var (typed, command) = StartupHost.CommandWords(args);
            var groups = GeneratedEndpoints.All.Select(e => e.Group).Append("auth").Distinct(StringComparer.Ordinal).ToArray();
            var group = GroupAliases.Canonical(typed, groups);
            CheckStartupOptions(args, host, group);
            var knownGroup = groups.Contains(group, StringComparer.OrdinalIgnoreCase) ? group : null;
            args = BareGroupHelp(args, knownGroup, command);
            if (FlavorGuard.Mismatch(GeneratedEndpoints.All, host.Flavor, host.Name, group, command) is { } refusal)
            {
                throw new UsageException(refusal);
            }

            var app = new CoconaRunner(args)
            {
                TypedGroup = typed,
                ReservedNames = groups,
                Help = new BbHelpProvider.Settings(host.HelpLine, Bold: io.StdoutIsTty && io.Env("NO_COLOR") is null),
            };
            AddServices(app.Services, io, store);

            // Every failure inside a command becomes one stderr line and a documented exit code here.
            app.UseFilter(async (context, next) =>
            {
                ranCommand = true;
                try
                {
                    RejectSurplusArguments(context);
                    return await next(context).ConfigureAwait(false);
                }
                catch (Cocona.Command.Binder.ParameterBinderException binder)
                {
                    return FailureReporter.Report(CommandLineErrors.Binding(binder, context.ParsedCommandLine), io);
                }
                catch (Exception e) when (e is not CommandExitedException)
                {
                    return FailureReporter.Report(e, io);
                }
            });

            var flavor = host.Flavor;
            EndpointCatalog.Register(GeneratedEndpoints.All.Where(e => e.Flavor == flavor));
            var focus = knownGroup is not null && CommandGroupScope.CanFocus(args, command)
                ? GeneratedCommands.CommandMethod(flavor, knownGroup, command!)
                : null;
            var scope = CommandGroupScope.For(
                app,
                args,
                group,
                new Dictionary<string, Action<Cocona.Builder.ICoconaCommandsBuilder>>
                {
                    ["prs"] = x => x.AddCommands<PrsDailyCommands>(),
                    ["repos"] = x => x.AddCommands<ReposCloneCommand>(),
                },
                focus);
            GeneratedCommands.Register(scope, flavor);
            scope.AddSubCommand("auth", x => x.AddCommands<AuthCommands>())
                .WithDescription("Log in (OAuth 1.0a, OAuth 2.0, tokens), check, switch and remove logins; sign requests for other tools");
            // A run that names a group dispatches into it, so the root's own commands are not built then: Cocona
            // reflects over each one it is given (start-up; docs/benchmarks.md, "The floor"). Help, "did you
            // mean" and completion at the root, where they are listed, still get them.
            if (!CommandGroupScope.DispatchesIntoGroup(args, knownGroup))
            {
                app.AddCommands<ApiCommand>();
                app.AddCommands<ProxyCommand>();
                app.AddCommands<BrowseCommand>();
            }

            exitCode = await app.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return FailureReporter.Report(e, io);
        }

        return Normalize(exitCode, ranCommand, args);
    }

    /// <summary><c>bb help [group [command]]</c> is <c>bb [group [command]] --help</c>, as in gh.</summary>
    internal static string[] HelpCommand(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            if (args[i] == "--host")
            {
                i++;
            }
            else if (!args[i].StartsWith('-'))
            {
                return args[i] == "help" ? [.. args[..i], .. args[(i + 1)..], "--help"] : args;
            }
        }

        return args;
    }

    /// <summary>
    /// A group on its own (<c>bb repos</c>) shows the group's help, as gh does. Cocona's own answer, its default
    /// command, renders the group's commands as if they were the root's and failed on an empty list.
    /// </summary>
    /// <param name="group">The group the first word names, or null when it names none.</param>
    internal static string[] BareGroupHelp(string[] args, string? group, string? command) =>
        group is not null && command is null && !CommandGroupScope.AsksForHelp(args) && !args.Contains("--version") && !CommandGroupScope.AsksForCompletion(args)
            ? [.. args, "--help"]
            : args;

    /// <summary>
    /// Values of the options every command shares that are wrong whatever the command: usage errors (exit 2),
    /// as gh treats an unknown <c>--hostname</c>. An unknown <c>BB_HOST</c> stays the command's own report (exit 1).
    /// </summary>
    private static void CheckStartupOptions(string[] args, StartupHost host, string? group)
    {
        if (StartupHost.OptionValue(args, "--api-url") is { } apiUrl && !HostConfig.IsHttpUrl(apiUrl))
        {
            // The value is not echoed: a URL may carry user:password.
            throw new UsageException("the API URL from --api-url is not an absolute http(s) URL (e.g. https://api.bitbucket.org)");
        }

        // auth login adds hosts, and auth status/logout report an unknown one themselves (exit 4).
        if (StartupHost.HostOption(args) is not null && !host.Known && group != "auth")
        {
            var known = host.KnownHosts.Count > 0 ? $" (configured hosts: {string.Join(", ", host.KnownHosts)})" : "";
            throw new UsageException($"unknown host '{host.Name}'{known}; add it with bb auth login --host {host.Name}");
        }
    }

    /// <param name="store">hosts.json, with the built-in bitbucket.org host at the spec's api.baseUrl.</param>
    private static void AddServices(IServiceCollection services, ConsoleIO io, ConfigStore store)
    {
        services.AddSingleton(io);
        services.AddSingleton(TimeProvider.System);
        // What every request resolves is made by a factory: no constructor lookup by reflection at start-up.
        services.AddSingleton<INonceSource>(_ => new RandomNonceSource());
        services.AddSingleton(store);
        services.AddSingleton(new HostCandidates(store));
        services.AddSingleton(sp => new ApiSessions(io, store, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<INonceSource>()));
        services.AddSingleton(sp => new EndpointRunner(io, sp.GetRequiredService<ApiSessions>(), sp.GetService<ICoconaAppContextAccessor>()));
        services.AddSingleton(sp => new ApiRequestRunner(io, sp.GetRequiredService<ApiSessions>(), sp.GetService<ICoconaAppContextAccessor>()));
        services.AddSingleton(GeneratedApis.All);
        services.AddSingleton<LoginRunner>();
        services.AddSingleton<StatusRunner>();
        services.AddSingleton<LogoutRunner>();
        services.AddSingleton<SignRunner>();
        services.AddSingleton<Core.Proxy.ProxyRunner>();
        services.AddSingleton<IRefitClientFactory<IBitbucketApi>>(_ => new RefitClientFactory());
        services.AddSingleton(sp => new ApiInvoker<IBitbucketApi>(
            sp.GetRequiredService<IRefitClientFactory<IBitbucketApi>>(), sp.GetRequiredService<EndpointRunner>()));

        // Command classes come from the container (BbInstanceActivator: start-up cost).
        GeneratedCommands.AddCommandTypes(services);
        services.AddTransient<ApiCommand>();
        services.AddTransient<AuthCommands>();
        services.AddTransient<BrowseCommand>();
        services.AddTransient<ProxyCommand>();
        services.AddTransient<PrsDailyCommands>();
        services.AddTransient<ReposCloneCommand>();
    }

    /// <summary>
    /// Cocona silently drops positional arguments beyond those a command declares, so a typo or
    /// <c>--draft false</c> (a flag followed by a stray word) would run something else than asked.
    /// </summary>
    private static void RejectSurplusArguments(Cocona.Filters.CoconaCommandExecutingContext context)
    {
        var declared = context.Command.Arguments.Count;
        var given = context.ParsedCommandLine.Arguments;
        if (given.Count > declared)
        {
            throw new UsageException($"unexpected argument '{given[declared].Value}' (flags take no value: write --flag, or see --help)");
        }
    }

    /// <summary>
    /// Cocona answers --help with 129 and parse errors with 1 or 129; bb documents 0 for help and 2 for
    /// every usage error, and keeps 1 for API and network errors that commands themselves report.
    /// </summary>
    internal static int Normalize(int exitCode, bool ranCommand, string[] args)
    {
        if (ranCommand)
        {
            return exitCode;
        }

        if (args.Any(a => a is "--help" or "-h" or "--version"))
        {
            return ExitCodes.Ok;
        }

        return exitCode == 0 ? ExitCodes.Ok : ExitCodes.Usage;
    }
}
