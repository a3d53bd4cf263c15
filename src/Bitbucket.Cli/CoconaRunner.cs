using System.Runtime.InteropServices;
using Cocona;
using Cocona.Application;
using Cocona.Builder;
using Cocona.Command;
using Cocona.Command.Binder;
using Cocona.Command.Binder.Validation;
using Cocona.Command.BuiltIn;
using Cocona.Command.Dispatcher;
using Cocona.Command.Dispatcher.Middlewares;
using Cocona.CommandLine;
using Cocona.Help;
using Cocona.Hosting;
using Cocona.Localization.Internal;
using Cocona.ShellCompletion;
using Cocona.ShellCompletion.Candidate;
using Cocona.ShellCompletion.Generators;
using Microsoft.Extensions.DependencyInjection;

namespace Bitbucket.Cli;

/// <summary>
/// Runs Cocona's command pipeline for one invocation without a generic host (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// <c>CoconaApp</c> builds a <c>Microsoft.Extensions.Hosting</c> host around each run: configuration
/// sources, logging, options, a console lifetime and a hosted service. In the native binary, resolving
/// the host's open generic services (<c>IOptions&lt;&gt;</c>, <c>ILogger&lt;&gt;</c>) makes the type loader build
/// generic types at run time, and that was the largest single cost of a signed GET after start-up.
/// bb uses none of it, so this class registers Cocona.Core's services — the same ones, with the same
/// options, that Cocona's host registers — in a plain <see cref="ServiceCollection"/>, builds the same
/// dispatcher middleware, and runs the bootstrapper directly. Commands, binding, help, <c>--version</c>,
/// "did you mean" and shell completion are Cocona's own code, unchanged.
/// </remarks>
internal sealed class CoconaRunner(string[] args) : ICoconaCommandsBuilder
{
    private readonly ICoconaCommandsBuilder commands = new CoconaCommandsBuilder();

    public IServiceCollection Services { get; } = new ServiceCollection();

    /// <summary>The first command word as typed (perhaps a singular alias, <see cref="GroupAliases"/>).</summary>
    public string? TypedGroup { get; init; }

    /// <summary>Names no alias may take: every group of every flavour (<c>user</c> is Cloud's own group, not an alias of <c>users</c>).</summary>
    public IReadOnlyCollection<string> ReservedNames { get; init; } = [];

    /// <summary>Help in bb's layout (<see cref="BbHelpProvider"/>); null: Cocona's own.</summary>
    public BbHelpProvider.Settings? Help { get; init; }

    IDictionary<string, object?> ICoconaCommandsBuilder.Properties => commands.Properties;

    ICoconaCommandsBuilder ICoconaCommandsBuilder.Add(ICommandDataSource commandDataSource) => commands.Add(commandDataSource);

    ICoconaCommandsBuilder ICoconaCommandsBuilder.New() => commands.New();

    IReadOnlyList<ICommandData> ICoconaCommandsBuilder.Build() => commands.Build();

    /// <summary>
    /// Dispatches the command line and returns its exit code. The first Ctrl+C cancels the running
    /// command (it then exits <see cref="Core.ExitCodes.Cancelled"/>); a second one ends the process at once.
    /// </summary>
    public async Task<int> RunAsync()
    {
        AddCocona(Services);
        await using var provider = Services.BuildServiceProvider();
        provider.GetRequiredService<ICoconaCommandDispatcherPipelineBuilder>()
            .UseMiddleware((next, sp) => new BbErrorMiddleware(next, sp.GetRequiredService<Core.Terminal.ConsoleIO>()))
            .UseMiddleware<CommandFilterMiddleware>()
            .UseMiddleware<CoconaCommandInvokeMiddleware>();

        var bootstrapper = provider.GetRequiredService<ICoconaBootstrapper>();
        bootstrapper.Initialize();

        using var cancel = new CancellationTokenSource();

        // A POSIX signal registration rather than Console.CancelKeyPress: the latter sets the terminal up
        // (keypad mode) and never resets it. Cancelling the signal keeps the process alive for the first
        // Ctrl+C; the second one gets the default action.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        });
        return await bootstrapper.RunAsync(cancel.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// What Cocona's host registers (its <c>AddCocona*</c> extensions are internal), with bb's options. The
    /// services every command run resolves are made by factories, so the container does not look for their
    /// constructors by reflection (start-up; docs/benchmarks.md, "The floor").
    /// </summary>
    private void AddCocona(IServiceCollection services)
    {
        var completion = CommandGroupScope.AsksForCompletion(args);
        services.AddSingleton<ICoconaInstanceActivator>(_ => new BbInstanceActivator());
        services.AddTransient<BuiltInPrimaryCommand>();
        services.AddTransient<BuiltInOptionLikeCommands>();
        services.AddSingleton<ICoconaServiceProviderIsService>(sp => new CoconaServiceProviderIsService(sp.GetRequiredService<IServiceProviderIsService>()));
        services.AddSingleton<ICoconaServiceProviderScopeSupport>(_ => new CoconaServiceProviderScopeSupport());
        services.AddSingleton<ICoconaCommandProvider>(sp =>
        {
            // Cocona's defaults, except that only [Command] methods are commands.
            const CommandProviderOptions options = CommandProviderOptions.OptionNameToLowerCase
                | CommandProviderOptions.CommandNameToLowerCase
                | CommandProviderOptions.ArgumentNameToLowerCase;
            return new CoconaBuiltInCommandProvider(
                new GroupCommandProvider(GroupAliases.Add(commands.Build(), TypedGroup, ReservedNames, completion), options, sp.GetRequiredService<ICoconaServiceProviderIsService>()),
                enableShellCompletionSupport: true);
        });
        services.AddSingleton<ICoconaEnvironmentProvider>(_ => new DefaultCoconaEnvironmentProvider());
        services.AddSingleton<ICoconaCommandLineArgumentProvider>(_ => new CoconaCommandLineArgumentProvider(args));
        services.AddSingleton<ICoconaCommandDispatcherPipelineBuilder>(sp => new CoconaCommandDispatcherPipelineBuilder(sp, sp.GetRequiredService<ICoconaInstanceActivator>()));
        services.AddSingleton<ICoconaAppContextAccessor>(_ => new CoconaAppContextAccessor());
        services.AddSingleton<ICoconaApplicationMetadataProvider>(_ => new CoconaApplicationMetadataProvider());
        services.AddSingleton<ICoconaConsoleProvider>(sp => new BbConsoleProvider(sp.GetRequiredService<Core.Terminal.ConsoleIO>()));
        services.AddSingleton<ICoconaParameterValidatorProvider>(_ => new DataAnnotationsParameterValidatorProvider());
        services.AddSingleton<ICoconaBootstrapper>(sp => new BbBootstrapper(
            args,
            sp.GetRequiredService<ICoconaCommandProvider>(),
            sp.GetRequiredService<ICoconaCommandResolver>(),
            sp.GetRequiredService<ICoconaCommandDispatcher>(),
            sp.GetRequiredService<Core.Terminal.ConsoleIO>()));

        services.AddTransient<ICoconaParameterBinder>(sp => new CoconaParameterBinder(
            sp, sp.GetRequiredService<ICoconaValueConverter>(), sp.GetRequiredService<ICoconaParameterValidatorProvider>()));
        services.AddTransient<ICoconaValueConverter>(_ => new CoconaValueConverter());
        services.AddTransient<ICoconaCommandLineParser>(_ => new CoconaCommandLineParser());
        services.AddTransient<ICoconaCommandDispatcher>(sp => new CoconaCommandDispatcher(
            sp,
            sp.GetRequiredService<ICoconaServiceProviderScopeSupport>(),
            sp.GetRequiredService<ICoconaCommandDispatcherPipelineBuilder>(),
            sp.GetRequiredService<ICoconaInstanceActivator>(),
            sp.GetRequiredService<ICoconaAppContextAccessor>()));
        services.AddTransient<ICoconaCommandMatcher>(_ => new CoconaCommandMatcher());
        services.AddTransient<ICoconaCommandResolver>(sp => new CoconaCommandResolver(
            sp.GetRequiredService<ICoconaCommandLineParser>(), sp.GetRequiredService<ICoconaCommandMatcher>()));
        services.AddTransient<ICoconaHelpRenderer, CoconaHelpRenderer>();
        services.AddTransient<CoconaCommandHelpProvider>();
        services.AddTransient<ICoconaCommandHelpProvider>(sp => Help is { } help
            ? new BbHelpProvider(sp.GetRequiredService<CoconaCommandHelpProvider>(), help)
            : sp.GetRequiredService<CoconaCommandHelpProvider>());
        services.AddTransient<ICoconaHelpMessageBuilder, CoconaHelpMessageBuilder>();
        services.AddTransient<CoconaLocalizerWrapper>();
        services.AddTransient<CoconaAppContext>(sp => sp.GetRequiredService<ICoconaAppContextAccessor>().Current!);

        // Shell completion (--completion bash|zsh|fish|powershell).
        services.AddSingleton<ICoconaShellCompletionCodeGenerator, BashCoconaShellCompletionCodeGenerator>();
        services.AddSingleton<ICoconaShellCompletionCodeGenerator, ZshCoconaShellCompletionCodeGenerator>();
        services.AddSingleton<ICoconaShellCompletionCodeGenerator, FishCompletionGenerator>();
        services.AddSingleton<ICoconaShellCompletionCodeGenerator, PowerShellCompletionGenerator>();
        services.AddSingleton<ICoconaShellCompletionCodeProvider>(sp => new BbCompletionCodeProvider(
            new CoconaShellCompletionCodeProvider(sp.GetServices<ICoconaShellCompletionCodeGenerator>())));
        services.AddSingleton<ICoconaCompletionCandidatesMetadataFactory, CoconaCompletionCandidatesMetadataFactory>();
        services.AddSingleton<ICoconaCompletionCandidatesProviderFactory, CoconaCompletionCandidatesProviderFactory>();
        services.AddSingleton<ICoconaCompletionCandidates, CoconaCompletionCandidates>();
    }
}

/// <summary>
/// Cocona's bootstrapper, except that a command that does not exist is reported in bb's one error style
/// (<see cref="CommandLineErrors.UnknownCommand"/>) with exit code 2.
/// </summary>
internal sealed class BbBootstrapper(
    string[] args,
    ICoconaCommandProvider commandProvider,
    ICoconaCommandResolver resolver,
    ICoconaCommandDispatcher dispatcher,
    Core.Terminal.ConsoleIO io) : ICoconaBootstrapper
{
    private CommandCollection? commands;

    public void Initialize() => commands = commandProvider.GetCommandCollection();

    public async ValueTask<int> RunAsync(CancellationToken cancellationToken)
    {
        var root = commands ?? throw new InvalidOperationException("Initialize first");
        try
        {
            var resolved = resolver.ParseAndResolve(root, args);
            return await dispatcher.DispatchAsync(resolved, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandNotFoundException notFound)
        {
            var group = root.All.FirstOrDefault(c => ReferenceEquals(c.SubCommands, notFound.ImplementedCommands));
            var parent = group is null ? "bb" : "bb " + group.Name;
            var visible = new CommandCollection(notFound.ImplementedCommands.All
                .Where(c => !BbHelpProvider.IsAlias(c, notFound.ImplementedCommands)).ToArray());
            return Core.FailureReporter.Report(CommandLineErrors.UnknownCommand(notFound.Command, parent, visible), io);
        }
    }
}

/// <summary>Cocona writes help and its messages through bb's streams (<see cref="Core.Terminal.ConsoleIO.FromProcess"/>), never <see cref="Console"/>'s.</summary>
internal sealed class BbConsoleProvider(Core.Terminal.ConsoleIO io) : ICoconaConsoleProvider
{
    public TextWriter Output => io.Out;

    public TextWriter Error => io.Error;
}
