using System.Text;
using System.Text.Json;
using Bitbucket.Cli.Core.Commands;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>
/// Issue 13 item 4: one huge JSON string must be checked in linear time with bounded memory — the
/// check holds at most one long-token threshold and one piece, never the string — and still be as
/// strict as <see cref="JsonDocument"/> about what is valid.
/// </summary>
public sealed class JsonStreamCheckLongTokenTests
{
    private const int Piece = 81920;

    [Fact]
    public void A_string_of_32_MiB_is_checked_without_holding_it()
    {
        var check = new JsonStreamCheck();
        check.Append("{\"big\":\""u8);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abc\\\"\\u00e9\\n", Piece / 16)));
        for (var sent = 0L; sent < 32L << 20; sent += chunk.Length)
        {
            check.Append(chunk);
        }

        check.Append("\",\"n\":1}"u8);
        check.Complete();

        Assert.InRange(check.HeldCapacity, 0, (JsonStreamCheck.LongToken + Piece) * 2);
    }

    [Theory]
    [InlineData("{\"k\":\"S\"}", true)]
    [InlineData("[\"S\",\"S\"]", true)]
    [InlineData("{\"S\":1}", true)] // a long property name
    [InlineData("[1,   \"S\"]", true)]
    [InlineData("\"S\"", true)]
    [InlineData("{\"k\":\"S}", false)] // never closed
    [InlineData("{\"k\":\"S\"", false)] // object never closed
    [InlineData("{\"k\":\"S\" \"x\"}", false)] // missing comma after the long string
    [InlineData("[\"S\"}", false)]
    [InlineData("{\"k\":\"S\u0001\"}", false)] // raw control character in the string
    [InlineData("{\"k\":\"S\\x\"}", false)] // invalid escape
    [InlineData("{\"k\":\"S\\u12G4\"}", false)] // invalid \u escape
    public void Long_strings_get_the_same_verdict_as_JsonDocument_split_at_any_piece_size(string template, bool valid)
    {
        // S: ~200 KiB of text with escapes, so pieces split escapes and \u sequences everywhere.
        var s = string.Concat(Enumerable.Repeat("xy\\\"z\\\\\\u00e9\\/", 200 * 1024 / 16));
        var body = Encoding.UTF8.GetBytes(template.Replace("S", s, StringComparison.Ordinal));
        Assert.Equal(valid, IsValidForJsonDocument(body));

        foreach (var size in new[] { 1000, 4093, Piece, 100_000 })
        {
            Assert.True(valid == Check(body, size), $"piece size {size}: expected {(valid ? "valid" : "invalid")}");
        }
    }

    [Fact]
    public void Long_whitespace_between_tokens_is_valid_and_not_held()
    {
        var body = Encoding.ASCII.GetBytes("[1," + new string(' ', 1 << 20) + "2" + new string('\n', 1 << 20) + "]");
        var check = new JsonStreamCheck();
        foreach (var piece in body.Chunk(Piece))
        {
            check.Append(piece);
        }

        check.Complete();
        Assert.InRange(check.HeldCapacity, 0, (JsonStreamCheck.LongToken + Piece) * 2);
    }

    [Fact]
    public void A_number_longer_than_the_threshold_is_refused()
    {
        var body = Encoding.ASCII.GetBytes("[" + new string('7', JsonStreamCheck.LongToken * 3) + "]");

        Assert.False(Check(body, Piece));
    }

    private static bool Check(byte[] body, int size)
    {
        try
        {
            var check = new JsonStreamCheck();
            foreach (var piece in body.Chunk(size))
            {
                check.Append(piece);
            }

            check.Complete();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsValidForJsonDocument(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
