using Bitbucket.Cli.Api;
using Bitbucket.Cli.Core.Commands;
using Refit;

namespace Bitbucket.Cli;

/// <summary>
/// The one hand-written line design (a) needs: Refit's generator only stubs interfaces declared in
/// the project it runs in, and it does stub the methods this interface inherits from the generated
/// <see cref="IBitbucketApi"/> in Bitbucket.Cli.Api (docs/architecture.md, "Why two projects").
/// </summary>
public interface IBitbucketClient : IBitbucketApi;

/// <summary>Creates Refit's generated client (no reflection, AOT-safe) over bb's signing HttpClient.</summary>
internal sealed class RefitClientFactory : IRefitClientFactory<IBitbucketApi>
{
    public IBitbucketApi Create(HttpClient client) => RestService.ForGenerated<IBitbucketClient>(client);
}
