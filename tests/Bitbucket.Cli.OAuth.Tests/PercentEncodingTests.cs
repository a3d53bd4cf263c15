using Bitbucket.Cli.Core.OAuth;

namespace Bitbucket.Cli.OAuth.Tests;

/// <summary>RFC 5849 §3.6 percent-encoding and the W3C form decoding of §3.4.1.3.1.</summary>
public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("", "")]
    // §3.6: "Characters in the unreserved character set ... (ALPHA, DIGIT, "-", ".", "_", "~") MUST NOT be encoded."
    [InlineData("AZaz09-._~", "AZaz09-._~")]
    // §3.6: space is "%20" and not "+" (unlike application/x-www-form-urlencoded).
    [InlineData(" ", "%20")]
    [InlineData("r b", "r%20b")]
    // "All other characters MUST be encoded" — including the ones .NET's escapers leave alone.
    [InlineData("*", "%2A")]
    [InlineData("!'()", "%21%27%28%29")]
    [InlineData("+", "%2B")]
    [InlineData("%", "%25")]
    [InlineData("&=", "%26%3D")]
    [InlineData(":/?#[]@", "%3A%2F%3F%23%5B%5D%40")]
    [InlineData("$,;", "%24%2C%3B")]
    [InlineData("\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D")]
    [InlineData("\n\t", "%0A%09")]
    // §3.6 step 1: UTF-8 first; "The two hexadecimal characters ... MUST be uppercase."
    [InlineData("ü", "%C3%BC")]
    [InlineData("ÿ", "%C3%BF")]
    [InlineData("€", "%E2%82%AC")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    // §3.4.1.3.2's example values: "=%3D" → "%3D%253D", "c@" → "c%40".
    [InlineData("=%3D", "%3D%253D")]
    [InlineData("c@", "c%40")]
    public void PercentEncode_follows_section_3_6(string value, string expected) =>
        Assert.Equal(expected, OAuthEncoding.PercentEncode(value));

    [Fact]
    public void PercentEncode_never_emits_lower_case_hex()
    {
        for (var c = 0; c < 0x800; c++)
        {
            var encoded = OAuthEncoding.PercentEncode(((char)c).ToString());
            Assert.Matches("^([A-Za-z0-9._~-]|%[0-9A-F]{2})*$", encoded);
        }
    }

    [Theory]
    [InlineData("%20", " ")]
    [InlineData("+", "+")] // the header decoding of §3.5.1 keeps '+'
    [InlineData("%2B", "+")]
    [InlineData("%2a%2A", "**")] // either hex case decodes
    [InlineData("%C3%BC", "ü")]
    [InlineData("%zz", "%zz")] // not an escape: kept literally
    [InlineData("100%", "100%")]
    [InlineData("a%2", "a%2")]
    [InlineData("%%41", "%A")]
    [InlineData("%FF", "\uFFFD")] // invalid UTF-8 becomes U+FFFD, as in Python's unquote
    [InlineData("ü%20€", "ü €")]
    public void PercentDecode_cases(string value, string expected) =>
        Assert.Equal(expected, OAuthEncoding.PercentDecode(value));

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData(" &=+%*~ü😀\"\\")]
    public void PercentDecode_inverts_PercentEncode(string value) =>
        Assert.Equal(value, OAuthEncoding.PercentDecode(OAuthEncoding.PercentEncode(value)));

    [Theory]
    // §3.4.1.3.1: "c2&a3=2+q" is c2="" and a3="2 q" ('+' is a space in form encoding).
    [InlineData("c2&a3=2+q", "c2=|a3=2 q")]
    [InlineData("b5=%3D%253D&a3=a&c%40=&a2=r%20b", "b5==%3D|a3=a|c@=|a2=r b")]
    [InlineData("flag", "flag=")]
    [InlineData("a=1&&b=2&", "a=1|b=2")] // empty pairs are skipped
    [InlineData("=x", "=x")] // empty name kept, as parse_qsl does
    [InlineData("a=b=c", "a=b=c")] // split on the first '='
    [InlineData("a=2&a=1&a=", "a=2|a=1|a=")] // repeated keys all kept, in order
    [InlineData("a%20b=c%2Bd+e", "a b=c+d e")]
    [InlineData("q=%E2%82%AC+%2A*~%7E", "q=€ **~~")]
    [InlineData("", "")]
    public void ParseQueryOrForm_decodes_like_html_forms(string text, string expected) =>
        Assert.Equal(expected, string.Join('|', OAuthEncoding.ParseQueryOrForm(text).Select(p => p.Key + "=" + p.Value)));

    [Fact]
    public void FormEncode_round_trips_through_ParseQueryOrForm()
    {
        KeyValuePair<string, string>[] pairs = [new("a b", "c+d"), new("ü", "€ & ="), new("flag", "")];

        Assert.Equal("a%20b=c%2Bd&%C3%BC=%E2%82%AC%20%26%20%3D&flag=", OAuthEncoding.FormEncode(pairs));
        Assert.Equal(pairs, OAuthEncoding.ParseQueryOrForm(OAuthEncoding.FormEncode(pairs)));
    }
}
