namespace Bitbucket.Cli.Core;

/// <summary>
/// Which Bitbucket API a host speaks. Bitbucket Cloud (<c>/2.0</c>, <c>next</c>-link paging) and
/// Bitbucket Data Center (<c>/rest/…</c>, <c>start</c>/<c>limit</c> paging) describe the same concepts
/// with different paths, so every generated command belongs to one flavour and a host's flavour decides
/// which of them runs.
/// </summary>
public enum ApiFlavor
{
    Cloud,
    DataCenter,
}

/// <summary>The names a flavour has in api-spec.json, hosts.json and on the command line.</summary>
public static class ApiFlavors
{
    /// <summary><c>cloud</c> or <c>datacenter</c>.</summary>
    public static string ToName(ApiFlavor flavor) => flavor switch
    {
        ApiFlavor.Cloud => "cloud",
        ApiFlavor.DataCenter => "datacenter",
        _ => throw new ArgumentOutOfRangeException(nameof(flavor)),
    };

    /// <summary>For people: <c>Bitbucket Cloud</c>, <c>Bitbucket Data Center</c>.</summary>
    public static string DisplayName(ApiFlavor flavor) => flavor switch
    {
        ApiFlavor.Cloud => "Bitbucket Cloud",
        ApiFlavor.DataCenter => "Bitbucket Data Center",
        _ => throw new ArgumentOutOfRangeException(nameof(flavor)),
    };

    /// <summary>Parses <c>cloud</c> or <c>datacenter</c> (case-insensitive; <c>dc</c> and <c>data-center</c> too).</summary>
    public static bool TryParse(string? text, out ApiFlavor flavor)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "cloud":
                flavor = ApiFlavor.Cloud;
                return true;
            case "datacenter" or "data-center" or "dc":
                flavor = ApiFlavor.DataCenter;
                return true;
            default:
                flavor = ApiFlavor.Cloud;
                return false;
        }
    }
}
