namespace Bitbucket.Cli.Generator.Model;

/// <summary>Everything the emitters need from one api-spec.json; invalid parts are already left out.</summary>
/// <param name="DefaultBaseUrl">The spec's <c>api.baseUrl</c>, emitted as <c>GeneratedEndpoints.DefaultBaseUrl</c>.</param>
/// <param name="Groups">Groups with endpoints, in the order of the spec's <c>groups</c>.</param>
/// <param name="Endpoints">Valid endpoints in spec order.</param>
internal sealed record SpecModel(
    string DefaultBaseUrl,
    EquatableArray<GroupModel> Groups,
    EquatableArray<EndpointModel> Endpoints)
{
    public static SpecModel Empty { get; } = new(string.Empty, EquatableArray<GroupModel>.Empty, EquatableArray<EndpointModel>.Empty);
}
