using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Auth;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Config;
using Bitbucket.Cli.Core.OAuth;
using static Bitbucket.Cli.Config.Tests.Samples;

namespace Bitbucket.Cli.Config.Tests;

/// <summary>
/// Which flavour a login is for and what follows from it: a Data Center host's OAuth URLs and
/// current-user path come from its API description, under the API URL (context path kept).
/// </summary>
public sealed class DataCenterLoginTargetTests
{
    private static readonly ApiDescription DataCenter = new(
        ApiFlavor.DataCenter, "Bitbucket Data Center", null, PagingStyle.StartLimit,
        "/plugins/servlet/oauth/request-token", "/plugins/servlet/oauth/authorize", "/plugins/servlet/oauth/access-token",
        SignatureMethod.RsaSha1, "/plugins/servlet/applinks/whoami", "/rest/api/latest/application-properties");

    private static readonly IReadOnlyList<ApiDescription> Apis = [DataCenter];

    private static readonly BbConfig Config = LocalWithAccounts()
        .WithHost(Local("work") with { Flavor = ApiFlavor.DataCenter, ApiUrl = "https://dc.example/bitbucket", SignatureMethod = SignatureMethod.RsaSha1, RsaKeyPath = "/keys/work.pem", RequestTokenUrl = "https://dc.example/custom/rt" });

    [Theory]
    [InlineData("https://bitbucket.example.com", "https://bitbucket.example.com")]
    [InlineData("https://bitbucket.example.com/", "https://bitbucket.example.com")]
    [InlineData("https://host.example/bitbucket/", "https://host.example/bitbucket")]
    public void A_detected_data_center_host_gets_the_servlet_urls_under_its_api_url(string apiUrl, string expectedBase)
    {
        var target = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: apiUrl, ConsumerKey: "k", RsaKey: "key.pem"), Apis, ApiFlavor.DataCenter);

        Assert.Equal(ApiFlavor.DataCenter, target.Host.Flavor);
        Assert.Equal(expectedBase, target.Host.ApiUrl);
        Assert.Equal(
            [expectedBase + "/plugins/servlet/oauth/request-token", expectedBase + "/plugins/servlet/oauth/authorize", expectedBase + "/plugins/servlet/oauth/access-token"],
            new[] { target.RequestTokenUrl.AbsoluteUri, target.AuthorizeUrl.AbsoluteUri, target.AccessTokenUrl.AbsoluteUri });
        Assert.Equal("/plugins/servlet/applinks/whoami", target.Host.UserPath);
        Assert.Equal(SignatureMethod.RsaSha1, target.Host.SignatureMethod);
        Assert.Equal(Path.GetFullPath("key.pem"), target.Host.RsaKeyPath);
    }

    [Fact]
    public void Without_detection_a_new_host_is_cloud_as_before()
    {
        var target = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://host.example/bitbucket", ConsumerKey: "k"), Apis, detected: null);

        Assert.Equal(ApiFlavor.Cloud, target.Host.Flavor);
        Assert.Equal("https://host.example/api/1.0/oauth/request_token", target.RequestTokenUrl.AbsoluteUri);
        Assert.Equal(SignatureMethod.HmacSha1, target.Host.SignatureMethod);
        Assert.Null(target.Host.UserPath);
    }

    [Fact]
    public void The_flavor_flag_decides_before_any_detection_and_every_derived_url_can_still_be_given()
    {
        var options = new LoginOptions(Host: "work", ApiUrl: "https://dc.example", ConsumerKey: "k", Flavor: "datacenter", RsaKey: "k.pem", AuthorizeUrl: "https://sso.example/authorize", UserPath: "/rest/api/latest/users/me");

        Assert.Equal(ApiFlavor.DataCenter, LoginTarget.Locate(EmptyConfig, Env(), options).Flavor);
        var target = LoginTarget.Resolve(EmptyConfig, Env(), options, Apis, detected: ApiFlavor.Cloud);

        Assert.Equal(ApiFlavor.DataCenter, target.Host.Flavor);
        Assert.Equal("https://sso.example/authorize", target.AuthorizeUrl.AbsoluteUri);
        Assert.Equal("https://dc.example/plugins/servlet/oauth/access-token", target.AccessTokenUrl.AbsoluteUri);
        Assert.Equal("/rest/api/latest/users/me", target.Host.UserPath);
    }

    [Fact]
    public void A_new_host_without_a_flavor_flag_leaves_the_flavour_to_detection()
    {
        Assert.Null(LoginTarget.Locate(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://dc.example", ConsumerKey: "k")).Flavor);
    }

    [Fact]
    public void An_existing_host_keeps_its_stored_flavour_and_urls()
    {
        var located = LoginTarget.Locate(Config, Env(), new LoginOptions(Host: "work"));
        var target = LoginTarget.Resolve(Config, Env(), new LoginOptions(Host: "work"), Apis, detected: ApiFlavor.Cloud);

        Assert.Equal(ApiFlavor.DataCenter, located.Flavor);
        Assert.Equal(ApiFlavor.DataCenter, target.Host.Flavor);
        Assert.Equal("https://dc.example/custom/rt", target.RequestTokenUrl.AbsoluteUri);
        Assert.Equal(("/keys/work.pem", SignatureMethod.RsaSha1), (target.Host.RsaKeyPath, target.Host.SignatureMethod));
    }

    [Fact]
    public void The_signature_method_flag_overrides_the_flavours()
    {
        var target = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://dc.example", ConsumerKey: "k", SignatureMethod: "HMAC-SHA1"), Apis, ApiFlavor.DataCenter);

        Assert.Equal(SignatureMethod.HmacSha1, target.Host.SignatureMethod);
    }

    [Theory]
    [InlineData("server")]
    [InlineData("bitbucket")]
    public void An_unknown_flavor_is_a_usage_error(string flavor)
    {
        var error = Assert.Throws<UsageException>(() => LoginTarget.Locate(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://dc.example", ConsumerKey: "k", Flavor: flavor)));

        Assert.Equal($"unknown --flavor '{flavor}'; use cloud or datacenter", error.Message);
    }

    [Fact]
    public void Rsa_sha1_without_a_key_is_a_usage_error()
    {
        var target = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://dc.example", ConsumerKey: "k"), Apis, ApiFlavor.DataCenter);
        var withKey = LoginTarget.Resolve(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://dc.example", ConsumerKey: "k", RsaKey: "k.pem"), Apis, ApiFlavor.DataCenter);

        withKey.RequireRsaKey();
        var error = Assert.Throws<UsageException>(target.RequireRsaKey);

        Assert.Equal("RSA-SHA1 signs with the consumer's private key: pass --rsa-key FILE (a PEM private key)", error.Message);
    }

    [Fact]
    public void A_missing_consumer_key_is_refused_before_anything_is_probed()
    {
        var error = Assert.Throws<UsageException>(() => LoginTarget.Locate(EmptyConfig, Env(), new LoginOptions(Host: "work", ApiUrl: "https://dc.example")));

        Assert.StartsWith("a consumer key is needed", error.Message, StringComparison.Ordinal);
    }
}
