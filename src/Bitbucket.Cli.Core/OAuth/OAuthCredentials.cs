using System.Security.Cryptography;

namespace Bitbucket.Cli.Core.OAuth;

/// <summary>
/// Everything needed to sign as one consumer (client credentials, RFC 5849 §1.1) on behalf of one
/// token holder: <paramref name="Token"/>/<paramref name="TokenSecret"/> are the temporary credentials
/// during the token exchange (§2.3) and the token credentials afterwards; both are null before the
/// request-token step (§2.1). RSA-SHA1 needs <paramref name="PrivateKey"/> instead of the secrets.
/// </summary>
public sealed record OAuthCredentials(
    string ConsumerKey,
    string ConsumerSecret,
    string? Token,
    string? TokenSecret,
    SignatureMethod Method,
    RSA? PrivateKey = null,
    string? Realm = null)
{
    /// <summary>
    /// Identifies the consumer and method only: secrets, the token and the key are never printed
    /// (a record prints every member by default, and these objects end up in logs and exceptions).
    /// </summary>
    public override string ToString() =>
        $"OAuthCredentials {{ ConsumerKey = {ConsumerKey}, ConsumerSecret = {Redacted(ConsumerSecret)}, Token = {Redacted(Token)}, "
        + $"TokenSecret = {Redacted(TokenSecret)}, Method = {SignatureMethods.ToWire(Method)}, "
        + $"PrivateKey = {(PrivateKey is null ? "(none)" : "(set)")}, Realm = {Realm ?? "(none)"} }}";

    private static string Redacted(string? value) => value is null ? "(none)" : value.Length == 0 ? "(empty)" : "***";
}
