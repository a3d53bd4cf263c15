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

    /// <summary>The line root and group help add, naming the host and its flavour (<see cref="HostHelpProvider"/>); null: none.</summary>
    public string? HelpHostLine { get; init; }

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
            .UseMiddleware<HandleExceptionAndExitMiddleware>()
            .UseMiddleware<HandleParameterBindExceptionMiddleware>()
            .UseMiddleware<RejectUnknownOptionsMiddleware>()
            .UseMiddleware<CommandFilterMiddleware>()
            .UseMiddleware<CoconaCommandInvokeMiddleware>();

        var bootstrapper = provider.GetRequiredService<ICoconaBootstrapper>();
        bootstrapper.Initialize();

        using var cancel = new CancellationTokenSource();
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            return await bootstrapper.RunAsync(cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }

    /// <summary>What Cocona's host registers (its <c>AddCocona*</c> extensions are internal), with bb's options.</summary>
    private void AddCocona(IServiceCollection services)
    {
        services.AddSingleton<ICoconaInstanceActivator>(_ => new CoconaInstanceActivator());
        services.AddSingleton<ICoconaServiceProviderIsService, CoconaServiceProviderIsService>();
        services.AddSingleton<ICoconaServiceProviderScopeSupport, CoconaServiceProviderScopeSupport>();
        services.AddSingleton<ICoconaCommandProvider>(sp =>
        {
            // Cocona's defaults, except that only [Command] methods are commands.
            const CommandProviderOptions options = CommandProviderOptions.OptionNameToLowerCase
                | CommandProviderOptions.CommandNameToLowerCase
                | CommandProviderOptions.ArgumentNameToLowerCase;
            return new CoconaBuiltInCommandProvider(
                new CoconaCommandProvider(commands.Build(), options, sp.GetRequiredService<ICoconaServiceProviderIsService>()),
                enableShellCompletionSupport: true);
        });
        services.AddSingleton<ICoconaEnvironmentProvider, DefaultCoconaEnvironmentProvider>();
        services.AddSingleton<ICoconaCommandLineArgumentProvider>(_ => new CoconaCommandLineArgumentProvider(args));
        services.AddSingleton<ICoconaCommandDispatcherPipelineBuilder, CoconaCommandDispatcherPipelineBuilder>();
        services.AddSingleton<ICoconaAppContextAccessor, CoconaAppContextAccessor>();
        services.AddSingleton<ICoconaApplicationMetadataProvider, CoconaApplicationMetadataProvider>();
        services.AddSingleton<ICoconaConsoleProvider, CoconaConsoleProvider>();
        services.AddSingleton<ICoconaParameterValidatorProvider, DataAnnotationsParameterValidatorProvider>();
        services.AddSingleton<ICoconaBootstrapper, CoconaBootstrapper>();

        services.AddTransient<ICoconaParameterBinder, CoconaParameterBinder>();
        services.AddTransient<ICoconaValueConverter, CoconaValueConverter>();
        services.AddTransient<ICoconaCommandLineParser, CoconaCommandLineParser>();
        services.AddTransient<ICoconaCommandDispatcher, CoconaCommandDispatcher>();
        services.AddTransient<ICoconaCommandMatcher, CoconaCommandMatcher>();
        services.AddTransient<ICoconaCommandResolver, CoconaCommandResolver>();
        services.AddTransient<ICoconaHelpRenderer, CoconaHelpRenderer>();
        services.AddTransient<CoconaCommandHelpProvider>();
        services.AddTransient<ICoconaCommandHelpProvider>(sp => HelpHostLine is { } line
            ? new HostHelpProvider(sp.GetRequiredService<CoconaCommandHelpProvider>(), line)
            : sp.GetRequiredService<CoconaCommandHelpProvider>());
        services.AddTransient<ICoconaHelpMessageBuilder, CoconaHelpMessageBuilder>();
        services.AddTransient<CoconaLocalizerWrapper>();
        services.AddTransient<CoconaAppContext>(sp => sp.GetRequiredService<ICoconaAppContextAccessor>().Current!);

        // Shell completion (--completion bash|zsh).
        services.AddSingleton<ICoconaShellCompletionCodeGenerator, BashCoconaShellCompletionCodeGenerator>();
        services.AddSingleton<ICoconaShellCompletionCodeGenerator, ZshCoconaShellCompletionCodeGenerator>();
        services.AddSingleton<ICoconaShellCompletionCodeProvider, CoconaShellCompletionCodeProvider>();
        services.AddSingleton<ICoconaCompletionCandidatesMetadataFactory, CoconaCompletionCandidatesMetadataFactory>();
        services.AddSingleton<ICoconaCompletionCandidatesProviderFactory, CoconaCompletionCandidatesProviderFactory>();
        services.AddSingleton<ICoconaCompletionCandidates, CoconaCompletionCandidates>();
    }
}
