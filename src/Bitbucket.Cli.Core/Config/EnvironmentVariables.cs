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

    /// <summary>The variable's value; empty counts as unset (the one place that rule lives).</summary>
    public static string? Read(Func<string, string?> environment, string name)
        => NullIfEmpty(environment(name));

    /// <summary>Null for null or empty: an empty flag or variable means "not given".</summary>
    internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
