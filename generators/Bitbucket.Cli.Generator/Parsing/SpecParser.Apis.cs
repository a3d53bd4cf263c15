using System;
using System.Collections.Generic;
using System.Linq;
using Bitbucket.Cli.Generator.Json;
using Bitbucket.Cli.Generator.Model;

namespace Bitbucket.Cli.Generator.Parsing;

/// <summary>The v2 <c>"apis"</c> section: one entry per flavour bb knows.</summary>
internal sealed partial class SpecParser
{
    private static readonly string[] ApiKeysV2 = ["name", "description", "baseUrl", "paging", "oauth", "currentUser", "probe"];
    private static readonly string[] OAuthKeys = ["requestToken", "authorize", "accessToken", "signatureMethod"];

    private static readonly Dictionary<string, Flavor> Flavors = new(StringComparer.Ordinal)
    {
        ["cloud"] = Flavor.Cloud,
        ["datacenter"] = Flavor.DataCenter,
    };

    private static readonly Dictionary<string, Paging> PagingStyles = new(StringComparer.Ordinal)
    {
        ["next"] = Paging.NextLink,
        ["start-limit"] = Paging.StartLimit,
    };

    /// <summary>Spec word → member of Bitbucket.Cli.Core.OAuth.SignatureMethod.</summary>
    private static readonly Dictionary<string, string> SignatureMethods = new(StringComparer.Ordinal)
    {
        ["HMAC-SHA1"] = "HmacSha1",
        ["HMAC-SHA256"] = "HmacSha256",
        ["RSA-SHA1"] = "RsaSha1",
        ["PLAINTEXT"] = "Plaintext",
    };

    /// <returns>Every validly named API; the value is null when its entry is wrong (already reported), so its endpoints are left out quietly.</returns>
    private Dictionary<Flavor, ApiModel?> ParseApis(ObjectFields top)
    {
        var node = top.Required("apis", "{ \"cloud\": { \"name\": \"Bitbucket Cloud\", ... } }");
        var apisObject = ExpectObject("apis", node);
        if (apisObject.Properties.Count == 0)
        {
            throw Fail(DiagnosticDescriptors.NoApis, node);
        }

        var apis = new Dictionary<Flavor, ApiModel?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in apisObject.Properties)
        {
            this.cancellationToken.ThrowIfCancellationRequested();
            if (!seen.Add(property.Name))
            {
                Report(DiagnosticDescriptors.DuplicateKey, Locate(property.Key), property.Name);
                continue;
            }

            if (property.Name.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }

            if (!Flavors.TryGetValue(property.Name, out var flavor))
            {
                var close = Flavors.Keys.FirstOrDefault(k => Naming.EditDistance(k, property.Name.ToLowerInvariant().Replace("-", string.Empty)) <= 2);
                Report(DiagnosticDescriptors.UnknownApi, Locate(property.Key), property.Name, close is null ? string.Empty : $"; did you mean \"{close}\"?");
                continue;
            }

            apis[flavor] = null;
            try
            {
                apis[flavor] = ParseApiEntry(flavor, property.Name, property.Value);
            }
            catch (SpecError e)
            {
                ReportError(e);
            }
        }

        return apis;
    }

    private ApiModel ParseApiEntry(Flavor flavor, string key, JsonNode node)
    {
        var api = Open(node, $"API \"{key}\"", ApiKeysV2, fatal: true, jsonKey: key);
        var name = api.RequiredString("name", flavor == Flavor.Cloud ? "\"Bitbucket Cloud\"" : "\"Bitbucket Data Center\"");
        api.OptionalString("description");
        string? baseUrl = null;
        if (api.OptionalStringNode("baseUrl") is { } baseUrlNode)
        {
            baseUrl = baseUrlNode.Value;
            if (!IsValidBaseUrl(baseUrl))
            {
                throw Fail(DiagnosticDescriptors.InvalidBaseUrl, baseUrlNode, baseUrl);
            }
        }

        var pagingNode = api.RequiredStringNode("paging", flavor == Flavor.Cloud ? "\"next\"" : "\"start-limit\"");
        if (!PagingStyles.TryGetValue(pagingNode.Value, out var paging))
        {
            throw Fail(DiagnosticDescriptors.UnknownPaging, pagingNode, pagingNode.Value);
        }

        var oauth = Open(
            api.Required("oauth", "{ \"requestToken\": \"...\", \"authorize\": \"...\", \"accessToken\": \"...\", \"signatureMethod\": \"HMAC-SHA1\" }"),
            $"the oauth of API \"{key}\"",
            OAuthKeys,
            fatal: true,
            jsonKey: "oauth");
        var requestToken = ApiPath(oauth.RequiredStringNode("requestToken", "\"/plugins/servlet/oauth/request-token\""));
        var authorize = ApiPath(oauth.RequiredStringNode("authorize", "\"/plugins/servlet/oauth/authorize\""));
        var accessToken = ApiPath(oauth.RequiredStringNode("accessToken", "\"/plugins/servlet/oauth/access-token\""));
        var signatureNode = oauth.RequiredStringNode("signatureMethod", "\"HMAC-SHA1\"");
        if (!SignatureMethods.TryGetValue(signatureNode.Value, out var signature))
        {
            throw Fail(DiagnosticDescriptors.UnknownSignatureMethod, signatureNode, signatureNode.Value);
        }

        var currentUser = ApiPath(api.RequiredStringNode("currentUser", "\"/2.0/user\""));
        var probe = api.OptionalStringNode("probe") is { } probeNode ? ApiPath(probeNode) : null;
        return new ApiModel(flavor, name, baseUrl, paging, requestToken, authorize, accessToken, signature, currentUser, probe);
    }

    /// <summary>A path below the host's API URL (which may carry a context path): no query, fragment or placeholder.</summary>
    private string ApiPath(JsonString node)
    {
        var value = node.Value;
        if (!value.StartsWith("/", StringComparison.Ordinal) || value.IndexOfAny(['?', '#', '{', '}', ' ', '\t']) >= 0)
        {
            var fixedPath = "/" + value.TrimStart('/').Split('?', '#')[0].Replace(" ", string.Empty);
            throw Fail(DiagnosticDescriptors.InvalidApiPath, node, value, fixedPath.Length > 1 ? fixedPath : "/2.0/user");
        }

        return value;
    }

    /// <summary>An endpoint's <c>"api"</c> (v2; <c>cloud</c> when absent) as a declared flavour.</summary>
    /// <param name="apis">Null when <c>"apis"</c> itself is broken (reported): the known names are accepted as written.</param>
    private Flavor ResolveApi(ObjectFields e, Dictionary<Flavor, ApiModel?>? apis)
    {
        var apiNode = e.Get("api");
        if (apiNode is not null && this.version != 2)
        {
            throw Fail(DiagnosticDescriptors.KeyOfOtherVersion, e.GetProperty("api")!.Key, "api", "2", "1", "write \"specVersion\": 2 and declare the APIs in \"apis\", or remove \"api\"");
        }

        var stringNode = apiNode is null ? null : ExpectString("api", apiNode);
        var name = stringNode?.Value ?? "cloud";
        var known = Flavors.TryGetValue(name, out var flavor);
        if (apis is null)
        {
            return known ? flavor : throw SpecError.Silent;
        }

        if (known && apis.TryGetValue(flavor, out var model))
        {
            // A wrong API entry was already reported there; its endpoints are left out quietly.
            return model is not null ? flavor : throw SpecError.Silent;
        }

        var declared = string.Join(" or ", apis.Keys.OrderBy(f => f).Select(f => "\"" + f.SpecName() + "\""));
        var fix = declared.Length == 0
            ? $"declare \"{name}\" in \"apis\""
            : stringNode is null
            ? $"an endpoint without \"api\" is \"cloud\": add \"api\": {declared}"
            : $"use {declared}, or declare \"{name}\" in \"apis\"";
        var at = stringNode is null ? Locate(e.Object.Start, 1) : Locate(stringNode);
        throw Fail(DiagnosticDescriptors.UndeclaredApi, at, name, fix);
    }
}
