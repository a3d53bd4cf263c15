namespace Bitbucket.Cli.Core.Output;

/// <summary>How command output is rendered on stdout.</summary>
public enum OutputFormat
{
    /// <summary>JSON (or JSON Lines with <see cref="OutputSettings.Jsonl"/>).</summary>
    Json,

    /// <summary>A human table of <see cref="OutputSettings.Columns"/>.</summary>
    Table,
}
