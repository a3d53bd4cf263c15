using System.Linq;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Emit;

/// <summary>Emits <c>GeneratedApis</c>: the spec's <c>apis</c> (or v1 <c>api</c>) as ApiDescription values.</summary>
internal static class ApisEmitter
{
    public static string Emit(SpecModel spec, string ns)
    {
        var w = SpecEmitter.Start(ns).Lines("""
            /// <summary>What api-spec.json says about each API as a whole: login defaults and paging.</summary>
            public static partial class GeneratedApis
            {
            """).Indent();
        EndpointsEmitter.WriteList(
            w,
            $"public static {GlobalNames.ReadOnlyList}<{GlobalNames.ApiDescription}> All {{ get; }} =",
            spec.Apis.Select(Describe).ToList(),
            ";");
        return w.CloseBrace().ToString();
    }

    private static string Describe(ApiModel api)
        => $"new(Flavor: {GlobalNames.ApiFlavor}.{api.Flavor}, Name: {Literal.String(api.Name)}, DefaultBaseUrl: {Literal.String(api.BaseUrl)}, "
            + $"Paging: {GlobalNames.PagingStyle}.{api.Paging}, RequestTokenPath: {Literal.String(api.RequestTokenPath)}, "
            + $"AuthorizePath: {Literal.String(api.AuthorizePath)}, AccessTokenPath: {Literal.String(api.AccessTokenPath)}, "
            + $"SignatureMethod: {GlobalNames.SignatureMethod}.{api.SignatureMethod}, CurrentUserPath: {Literal.String(api.CurrentUserPath)}, "
            + $"ProbePath: {Literal.String(api.ProbePath)})";
}
