namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// The configuration cannot be read, written or resolved. The message is one line, names the file
/// or host involved and says what to do; it never contains a secret.
/// </summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
