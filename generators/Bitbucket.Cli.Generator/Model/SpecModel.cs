namespace Bitbucket.Cli.Generator.Model;

/// <summary>Everything the emitters need from one api-spec.json; invalid parts are already left out.</summary>
/// <param name="DefaultBaseUrl">Cloud's <c>baseUrl</c> (empty without a Cloud API), emitted as <c>GeneratedEndpoints.DefaultBaseUrl</c>.</param>
/// <param name="Apis">The declared APIs, Cloud first.</param>
/// <param name="Groups">Groups with endpoints, per API (Cloud first), in the order of the spec's <c>groups</c>.</param>
/// <param name="Endpoints">Valid endpoints in spec order.</param>
internal sealed record SpecModel(
    string DefaultBaseUrl,
    EquatableArray<ApiModel> Apis,
    EquatableArray<GroupModel> Groups,
    EquatableArray<EndpointModel> Endpoints)
{
    public static SpecModel Empty { get; } = new(string.Empty, EquatableArray<ApiModel>.Empty, EquatableArray<GroupModel>.Empty, EquatableArray<EndpointModel>.Empty);
}
