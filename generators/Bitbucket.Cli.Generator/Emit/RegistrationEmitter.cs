using System.Collections.Generic;
using System.Linq;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>Emits <c>GeneratedCommands.Register</c>: one Cocona sub-command per group of the host's API.</summary>
internal static class RegistrationEmitter
{
    public static string Emit(SpecModel spec, string ns)
    {
        var w = SpecEmitter.Start(ns).Lines($$"""
            /// <summary>Adds the generated command groups to a Cocona app.</summary>
            public static partial class GeneratedCommands
            {
                /// <summary>Adds <c>bb &lt;group&gt; &lt;command&gt;</c> for every group of api-spec.json that <paramref name="flavor"/>'s API has.</summary>
                public static void Register({{GlobalNames.CoconaCommandsBuilder}} app, {{GlobalNames.ApiFlavor}} flavor)
                {
            """).Indent().Indent();

        foreach (var flavor in new[] { Flavor.Cloud, Flavor.DataCenter })
        {
            w.Line($"if (flavor == {GlobalNames.ApiFlavor}.{flavor})").OpenBrace();
            WriteGroups(w, spec.Groups.Where(g => g.Flavor == flavor), ns);
            w.Line("return;").CloseBrace().Line();
        }

        w.Line($"throw new global::System.ArgumentOutOfRangeException(nameof(flavor), flavor, \"Not an API flavour of api-spec.json\");")
            .CloseBrace()
            .Line()
            .Lines("""
                /// <summary>
                /// Registers every generated command class with the service container, so that Cocona takes the one a run
                /// dispatches to from it instead of through ActivatorUtilities, whose first use costs a native start about
                /// 6 ms (docs/benchmarks.md, "The floor").
                /// </summary>
                public static void AddCommandTypes(global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)
                {
                """).Indent();
        foreach (var group in spec.Groups)
        {
            // A factory, not the type: the container then needs no reflection to find the constructor.
            w.Line($"global::Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddTransient<global::{ns}.Commands.{group.ClassName}>(services, static sp => new global::{ns}.Commands.{group.ClassName}(global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{GlobalNames.ApiInvoker}<global::{ns}.IBitbucketApi>>(sp)));");
        }

        w.CloseBrace()
            .Line()
            .Lines($$"""
                /// <summary>
                /// The method of <c>bb GROUP COMMAND</c> in <paramref name="flavor"/>'s API (names in any case, as Cocona
                /// matches them), or null when that group has no such generated command. A run builds Cocona's model of
                /// this one command instead of its whole group (docs/benchmarks.md, "The floor").
                /// </summary>
                public static global::System.Reflection.MethodInfo? CommandMethod({{GlobalNames.ApiFlavor}} flavor, string group, string command)
                    => (flavor, group.ToLowerInvariant(), command.ToLowerInvariant()) switch
                    {
                """)
            .Indent()
            .Indent();
        foreach (var e in spec.Endpoints)
        {
            var type = $"global::{ns}.Commands.{e.ClassName}";
            w.Line($"({GlobalNames.ApiFlavor}.{e.Flavor}, {Literal.String(e.Group.ToLowerInvariant())}, {Literal.String(e.Name.ToLowerInvariant())}) => typeof({type}).GetMethod(nameof({type}.{e.MethodName})),");
        }

        return w.Line("_ => null,")
            .Unindent()
            .Line("};")
            .Unindent()
            .CloseBrace()
            .ToString();
    }

    private static void WriteGroups(SourceWriter w, IEnumerable<GroupModel> groups, string ns)
    {
        // Extension methods are called as static methods so the file needs no using directive.
        foreach (var group in groups)
        {
            w.Lines($"""
                {GlobalNames.Cocona}.CommandConventionBuilderExtensions.WithDescription(
                    {GlobalNames.Cocona}.CommandsBuilderExtensions.AddSubCommand(
                        app,
                        {Literal.String(group.Name)},
                        static x => {GlobalNames.Cocona}.CommandsBuilderExtensions.AddCommands<global::{ns}.Commands.{group.ClassName}>(x)),
                    {Literal.String(group.Description)});
                """);
        }
    }
}
