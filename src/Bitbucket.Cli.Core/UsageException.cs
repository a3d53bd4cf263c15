namespace Bitbucket.Cli.Core;

/// <summary>A mistake in how the command was called; reported as one line, exit code 2.</summary>
public sealed class UsageException(string message) : CliException(message, ExitCodes.Usage);
