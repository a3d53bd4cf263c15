using System.Text.RegularExpressions;

namespace Bitbucket.Cli.Tests.Support;

/// <summary>The shape every failure of bb must have: one <c>bb: …</c> line on stderr, the documented exit code, no stack.</summary>
public static partial class CliAssert
{
    /// <summary>Asserts exit code <paramref name="exitCode"/> and exactly one stderr line starting <c>bb: </c>; returns that line.</summary>
    public static string OneErrorLine(BbResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}\n{result}");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line\n{result}");
        Assert.StartsWith("bb: ", lines[0], StringComparison.Ordinal);
        return lines[0];
    }

    /// <summary>The stderr lines (trimmed, non-empty).</summary>
    public static string[] StderrLines(BbResult result) =>
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Asserts that nothing secret appears in <paramref name="output"/>: none of <paramref name="secrets"/>
    /// (as is and percent-encoded), and no <c>oauth_signature</c> value other than <c>&lt;redacted&gt;</c>.
    /// Returns the number of checks made (for the report).
    /// </summary>
    public static void NoSecrets(string what, string output, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct())
        {
            foreach (var form in new[] { secret, Uri.EscapeDataString(secret) }.Distinct())
            {
                Assert.False(output.Contains(form, StringComparison.Ordinal), $"{what}: a secret ({form.Length} chars, starting '{form[..Math.Min(4, form.Length)]}…') leaked into:\n{output}");
            }
        }

        foreach (Match m in SignatureParameter().Matches(output))
        {
            Assert.True(m.Groups["value"].Value == "\"<redacted>\"", $"{what}: oauth_signature not redacted: {m.Value}\n{output}");
        }

        // A bare HMAC (27/28 or 43/44 base64 characters, '=' maybe percent-encoded) anywhere near a signature parameter.
        Assert.False(BareHmac().IsMatch(output), $"{what}: something that looks like a signature leaked:\n{output}");
    }

    /// <summary><c>oauth_signature</c> followed by <c>=</c> or <c>%3D</c> and its value, in any encoding.</summary>
    [GeneratedRegex(@"oauth_signature(?:=|%3D|"":\s*)(?<value>""[^""]*""|[^\s,&""]+)", RegexOptions.IgnoreCase)]
    private static partial Regex SignatureParameter();

    [GeneratedRegex(@"oauth_signature[^A-Za-z0-9]{1,6}(?:[A-Za-z0-9+/]|%2B|%2F){27,43}(?:=|%3D)", RegexOptions.IgnoreCase)]
    private static partial Regex BareHmac();
}
