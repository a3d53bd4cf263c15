namespace Bitbucket.Cli.Core.Config;

/// <summary>Environment variables bb reads for configuration and credentials (CI without a stored login).</summary>
internal static class EnvironmentVariables
{
    public const string ConfigDir = "BB_CONFIG_DIR";
    public const string Host = "BB_HOST";
    public const string ApiUrl = "BB_API_URL";
    public const string ConsumerKey = "BB_CONSUMER_KEY";
    public const string ConsumerSecret = "BB_CONSUMER_SECRET";
    public const string AccessToken = "BB_ACCESS_TOKEN";
    public const string AccessTokenSecret = "BB_ACCESS_TOKEN_SECRET";

    /// <summary>A token for CI: sent as <c>Authorization: Bearer</c>, or with <see cref="Username"/> as HTTP Basic. Wins over any stored login.</summary>
    public const string Token = "BB_TOKEN";

    /// <summary>With <see cref="Token"/>: the login (a Cloud account's e-mail) for HTTP Basic.</summary>
    public const string Username = "BB_USERNAME";

    /// <summary>The variable's value; empty counts as unset (the one place that rule lives).</summary>
    public static string? Read(Func<string, string?> environment, string name)
        => NullIfEmpty(environment(name));

    /// <summary>Null for null or empty: an empty flag or variable means "not given".</summary>
    internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
