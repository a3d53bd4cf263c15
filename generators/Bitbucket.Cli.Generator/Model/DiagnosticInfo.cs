using System.Linq;
using Microsoft.CodeAnalysis;

namespace Bitbucket.Cli.Generator.Model;

/// <summary>A diagnostic as data: the descriptor id, where (if anywhere), and the message arguments.</summary>
internal readonly record struct DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
        => new(descriptor.Id, location, messageArgs.ToEquatableArray());

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(
            DiagnosticDescriptors.ById(Id),
            Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
            MessageArgs.Cast<object>().ToArray());
}
