using Cocona.Application;

namespace Bitbucket.Cli;

/// <summary>
/// Cocona's activator, except that a command class the service container knows comes from the container.
/// Cocona's own (<see cref="CoconaInstanceActivator"/>) goes through ActivatorUtilities, whose static
/// constructor takes a delegate's method: in the native binary that first builds a reverse map of every
/// reflectable method, about 6 ms of each start (docs/benchmarks.md, "The floor"). bb registers its command
/// classes (<c>GeneratedCommands.AddCommandTypes</c>, <see cref="BbApp"/>) and Cocona's built-in primary
/// command and option-like commands (--help, --version); anything else still goes to Cocona's activator.
/// </summary>
internal sealed class BbInstanceActivator : ICoconaInstanceActivator
{
    private readonly CoconaInstanceActivator cocona = new();

    public object? GetServiceOrCreateInstance(IServiceProvider serviceProvider, Type instanceType)
        => serviceProvider.GetService(instanceType) ?? cocona.GetServiceOrCreateInstance(serviceProvider, instanceType);

    public object? CreateInstance(IServiceProvider serviceProvider, Type instanceType, object[]? parameters)
        => cocona.CreateInstance(serviceProvider, instanceType, parameters);
}
