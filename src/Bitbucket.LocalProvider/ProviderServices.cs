using Bitbucket.LocalProvider.Data;
using Bitbucket.LocalProvider.OAuth;
using Bitbucket.LocalProvider.TestHooks;

namespace Bitbucket.LocalProvider;

/// <summary>The state every endpoint shares, created once per started provider.</summary>
internal sealed record ProviderServices(
    LocalProviderOptions Options,
    ProviderData Data,
    TokenStore Tokens,
    OAuthVerifier Verifier,
    TestHookState Hooks);
