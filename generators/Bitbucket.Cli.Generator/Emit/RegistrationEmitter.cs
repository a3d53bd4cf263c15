using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>Emits <c>GeneratedCommands.Register</c>: one Cocona sub-command per group.</summary>
internal static class RegistrationEmitter
{
    public static string Emit(SpecModel spec, string ns)
    {
        var w = SpecEmitter.Start(ns).Lines($$"""
            /// <summary>Adds the generated command groups to a Cocona app.</summary>
            public static partial class GeneratedCommands
            {
                /// <summary>Adds <c>bb &lt;group&gt; &lt;command&gt;</c> for every group of api-spec.json.</summary>
                public static void Register({{GlobalNames.CoconaCommandsBuilder}} app)
                {
            """).Indent().Indent();

        // Extension methods are called as static methods so the file needs no using directive.
        foreach (var group in spec.Groups)
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

        return w.CloseBrace()
            .CloseBrace()
            .ToString();
    }
}
