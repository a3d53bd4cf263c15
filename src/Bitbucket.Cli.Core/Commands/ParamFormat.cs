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

    /// <summary>
    /// Checks a path parameter's value before Refit puts it in the URL. .NET collapses <c>.</c> and
    /// <c>..</c> segments, so such a value would change which endpoint is called: an empty value, or one
    /// that is (or, for a parameter that keeps its slashes, contains as a segment) <c>.</c> or <c>..</c>,
    /// is a usage error (exit 2). Anything else is escaped by Refit and stays one value.
    /// </summary>
    public static string PathValue(string argument, string value, bool slashes)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new UsageException($"<{argument}> must not be empty");
        }

        if (value is "." or ".." || (slashes && value.Split('/').Any(segment => segment is "." or "..")))
        {
            throw new UsageException($"invalid value for <{argument}>: '.' and '..' are not allowed as {(slashes ? "a path segment" : "a value")}");
        }

        return value;
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
