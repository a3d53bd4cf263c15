using System.Globalization;

namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// Turns typed command-line values into the strings sent on the wire. Generated commands call these
/// so that every endpoint formats and validates the same way (invariant culture, lower-case booleans).
/// </summary>
public static class ParamFormat
{
    /// <summary>Checks an integer given as text; a wrong value is a usage error (exit 2).</summary>
    public static string? Integer(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : throw new UsageException($"invalid value '{value}' for {option}: expected a whole number");
    }

    public static string? Boolean(bool? value) => value switch
    {
        null => null,
        true => "true",
        false => "false",
    };

    /// <summary>Checks an enum option against its allowed values; a wrong value is a usage error (exit 2).</summary>
    public static string? OneOf(string option, string? value, params string[] allowed)
    {
        if (value is null || Array.IndexOf(allowed, value) >= 0)
        {
            return value;
        }

        throw new UsageException($"invalid value '{value}' for --{option}; allowed: {string.Join(", ", allowed)}");
    }
}
