using System.Text;

namespace Bitbucket.Cli.Core.Config;

/// <summary>How secrets print in <c>ToString</c>: whether one is present, never its value.</summary>
internal static class RedactedPrinting
{
    public const string Marker = "***";

    public static StringBuilder AppendSecret(this StringBuilder builder, string name, string? secret)
        => builder.Append(name).Append(" = ").Append(secret is null ? "null" : Marker);

    public static StringBuilder AppendValue(this StringBuilder builder, string name, string? value)
        => builder.Append(name).Append(" = ").Append(value ?? "null");
}
