using Cocona;

namespace Bitbucket.Cli.Core.Auth;

/// <summary>Options of <c>bb auth login</c>: everything settable by flags, so a script can log in anywhere.</summary>
public sealed record LoginOptions(
    [Option("host", Description = "Name to store this login under (default: BB_HOST, else the API URL's host:port, else bitbucket.org)", ValueName = "NAME")] string? Host = null,
    [Option("api-url", Description = "API URL, e.g. https://bitbucket.example.com (a context path such as /bitbucket is kept)", ValueName = "URL")] string? ApiUrl = null,
    [Option("flavor", Description = "cloud or datacenter (default: the stored host's; a new host is recognised by asking its API)", ValueName = "FLAVOR")] string? Flavor = null,
    [Option("request-token-url", Description = "OAuth request-token URL (default: Cloud <api-origin>/api/1.0/oauth/request_token, Data Center <api-url>/plugins/servlet/oauth/request-token)", ValueName = "URL")] string? RequestTokenUrl = null,
    [Option("authorize-url", Description = "OAuth authorize URL (default: Cloud <api-origin>/api/1.0/oauth/authenticate, Data Center <api-url>/plugins/servlet/oauth/authorize)", ValueName = "URL")] string? AuthorizeUrl = null,
    [Option("access-token-url", Description = "OAuth access-token URL (default: Cloud <api-origin>/api/1.0/oauth/access_token, Data Center <api-url>/plugins/servlet/oauth/access-token)", ValueName = "URL")] string? AccessTokenUrl = null,
    [Option("consumer-key", Description = "OAuth consumer key (default: BB_CONSUMER_KEY, else the stored one)", ValueName = "KEY")] string? ConsumerKey = null,
    [Option("signature-method", Description = "HMAC-SHA1 (Cloud default), HMAC-SHA256, PLAINTEXT or RSA-SHA1 (Data Center default)", ValueName = "METHOD")] string? SignatureMethod = null,
    [Option("rsa-key", Description = "PEM private key for RSA-SHA1 (Bitbucket Server/Data Center, Jira)", ValueName = "FILE")] string? RsaKey = null,
    [Option("consumer-secret-stdin", Description = "Read the consumer secret from the first line of stdin (else BB_CONSUMER_SECRET, the stored one, or a prompt)")] bool ConsumerSecretStdin = false,
    [Option("callback-port", Description = "Port for the callback listener on 127.0.0.1 (default: a free port)", ValueName = "PORT")] int? CallbackPort = null,
    [Option("no-browser", Description = "Do not open a browser; print the authorize URL alone on a line on stderr")] bool NoBrowser = false,
    [Option("oob", Description = "Out-of-band: no callback; type the verifier (PIN) the provider shows")] bool Oob = false,
    [Option("user-path", Description = "Current-user endpoint used to check the new token (default: Cloud /2.0/user, Data Center /plugins/servlet/applinks/whoami)", ValueName = "PATH")] string? UserPath = null,
    [Option("timeout", Description = "Seconds to wait for approval in the browser (default 300)", ValueName = "SECONDS")] double? Timeout = null,
    [Option("verbose", new[] { 'v' }, Description = "Print the OAuth requests (secrets redacted) to stderr")] bool Verbose = false,
    [Option("oauth1", Description = "Log in with OAuth 1.0a (the default for every host but bitbucket.org)")] bool OAuth1 = false,
    [Option("oauth2", Description = "Log in with OAuth 2.0, the consumer's key and secret as client (the default for bitbucket.org); --authorize-url and --access-token-url name its endpoints")] bool OAuth2 = false,
    [Option("with-token", Description = "Read a token from stdin: a Data Center HTTP access token or Cloud access token (Bearer), or with --username a Cloud API token (Basic)")] bool WithToken = false,
    [Option("username", Description = "With --with-token: the login for HTTP Basic (a Cloud account's e-mail)", ValueName = "LOGIN")] string? Username = null)
    : ICommandParameterSet;
