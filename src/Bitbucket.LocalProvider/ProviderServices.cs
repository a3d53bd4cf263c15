using Bitbucket.LocalProvider.Api;
using Bitbucket.LocalProvider.Data;
using Bitbucket.LocalProvider.DataCenter;
using Bitbucket.LocalProvider.OAuth;
using Bitbucket.LocalProvider.TestHooks;

namespace Bitbucket.LocalProvider;

/// <summary>The state every endpoint shares, created once per started provider.</summary>
internal sealed record ProviderServices(
    LocalProviderOptions Options,
    ProviderData Data,
    TokenStore Tokens,
    OAuthVerifier Verifier,
    TestHookState Hooks,
    DcData? DataCenter)
{
    public bool IsDataCenter => Options.Flavor == ProviderFlavor.DataCenter;

    /// <summary>An error in the flavour's shape: Bitbucket Cloud's or Data Center's.</summary>
    public JsonNodeResult Error(int statusCode, string message) =>
        IsDataCenter ? DcError.Result(statusCode, message) : BitbucketError.Result(statusCode, message);
}
