using System.Text;
using Bitbucket.Cli.Core.Output;

namespace Bitbucket.Cli.Output.Tests;

public class ApiErrorLineTests
{
    [Fact]
    public void Bitbucket_error_with_detail()
    {
        var line = ApiErrorLine.Format(404, "Not Found", "application/json",
            """{"type":"error","error":{"message":"Repository not found","detail":"There is no repository named w/nope"}}""");

        Assert.Equal("bb: Repository not found: There is no repository named w/nope (HTTP 404)", line);
    }

    [Fact]
    public void Bitbucket_error_without_detail()
    {
        Assert.Equal(
            "bb: Access denied (HTTP 403)",
            ApiErrorLine.Format(403, "Forbidden", "application/json; charset=utf-8", """{"type":"error","error":{"message":"Access denied"}}"""));
    }

    [Fact]
    public void Bitbucket_error_with_fields()
    {
        Assert.Equal(
            "bb: Bad request: name: This field is required. (HTTP 400)",
            ApiErrorLine.Format(400, null, "application/json", """{"type":"error","error":{"message":"Bad request","fields":{"name":["This field is required."]}}}"""));
    }

    [Fact]
    public void Multi_line_message_becomes_one_line()
    {
        Assert.Equal(
            "bb: first second third (HTTP 400)",
            ApiErrorLine.Format(400, null, "application/json", """{"type":"error","error":{"message":"first\nsecond\r\n\tthird"}}"""));
    }

    [Theory]
    [InlineData("""{"message":"Rate limit exceeded"}""", "bb: Rate limit exceeded (HTTP 429)")]
    [InlineData("""{"error":"invalid_grant","error_description":"Refresh token expired"}""", "bb: invalid_grant: Refresh token expired (HTTP 429)")]
    [InlineData("""{"error":"unauthorized"}""", "bb: unauthorized (HTTP 429)")]
    [InlineData("""{"errors":[{"message":"first problem"}]}""", "bb: first problem (HTTP 429)")]
    [InlineData("""{"title":"Too many","detail":"slow down"}""", "bb: Too many: slow down (HTTP 429)")]
    public void Other_json_with_a_message(string body, string expected)
    {
        Assert.Equal(expected, ApiErrorLine.Format(429, "Too Many Requests", "application/json", body));
    }

    [Fact]
    public void Json_without_a_message_falls_back_to_status_and_snippet()
    {
        Assert.Equal("bb: HTTP 500 Internal Server Error: {\"ok\":false}", ApiErrorLine.Format(500, null, "application/json", """{"ok":false}"""));
    }

    [Fact]
    public void Html_error_page_is_stripped_to_a_short_snippet()
    {
        const string html = """
            <html>
            <head><title>502 Bad Gateway</title><style>body { color: red }</style></head>
            <body>
            <center><h1>502 Bad Gateway</h1></center>
            <hr><center>nginx</center>
            <script>var x = "<b>not shown</b>";</script>
            </body>
            </html>
            """;

        Assert.Equal("bb: HTTP 502 Bad Gateway: nginx", ApiErrorLine.Format(502, "Bad Gateway", "text/html", html));
    }

    [Fact]
    public void Html_entities_are_decoded()
    {
        Assert.Equal(
            "bb: HTTP 503 Service Unavailable: Back soon & <better>",
            ApiErrorLine.Format(503, "Service Unavailable", "text/html", "<p>Back&nbsp;soon &amp; &lt;better&gt;</p><!-- <p>hidden</p> -->"));
    }

    [Fact]
    public void Plain_text_is_shown()
    {
        Assert.Equal(
            "bb: HTTP 502 Bad Gateway: upstream connect error or disconnect/reset before headers",
            ApiErrorLine.Format(502, "Bad Gateway", "text/plain", "upstream connect error\nor disconnect/reset before headers\n"));
    }

    [Fact]
    public void Long_text_is_capped()
    {
        var line = ApiErrorLine.Format(500, "Internal Server Error", "text/plain", string.Join(" ", Enumerable.Repeat("word", 200)));

        Assert.StartsWith("bb: HTTP 500 Internal Server Error: word word", line, StringComparison.Ordinal);
        Assert.EndsWith("…", line, StringComparison.Ordinal);
        Assert.Equal(ApiErrorLine.SnippetLength, line.Length - "bb: HTTP 500 Internal Server Error: ".Length);
    }

    [Theory]
    [InlineData(500, "Internal Server Error", "bb: HTTP 500 Internal Server Error")]
    [InlineData(500, null, "bb: HTTP 500 Internal Server Error")]
    [InlineData(502, "", "bb: HTTP 502 Bad Gateway")]
    [InlineData(599, null, "bb: HTTP 599")]
    public void Empty_body(int status, string? reason, string expected)
    {
        Assert.Equal(expected, ApiErrorLine.Format(status, reason, null, ""));
        Assert.Equal(expected, ApiErrorLine.Format(status, reason, "application/json", "  \n "));
    }

    [Theory]
    [InlineData("""{"type":"error","error":{"message":"Repository not fo""")]
    [InlineData("""{"type":"error","error":{"message":"x\q"}}""")]
    [InlineData("""{"message":"a"} trailing""")]
    public void Truncated_or_invalid_json_is_treated_as_text(string body)
    {
        var line = ApiErrorLine.Format(500, "Internal Server Error", "application/json", body);

        Assert.Equal("bb: HTTP 500 Internal Server Error: " + body, line);
    }

    [Fact]
    public void Binary_body_gets_no_snippet()
    {
        Assert.Equal("bb: HTTP 500 Internal Server Error", ApiErrorLine.Format(500, null, "application/octet-stream", [0x00, 0xFF, 0x13, 0x37, 0x80]));
    }

    [Fact]
    public void Random_bytes_never_throw_and_always_give_one_bb_line()
    {
        var random = new Random(20240601);
        string?[] contentTypes = [null, "application/json", "text/html", "text/plain", "application/octet-stream"];
        var validError = Encoding.UTF8.GetBytes("""{"type":"error","error":{"message":"Repository not found","detail":"x","fields":{"a":["b"]}}}""");
        const string alphabet = "{}[]\":,<>/ \n\r\t\\u0aé&;!-abcmessageerrordetail";

        for (var i = 0; i < 5000; i++)
        {
            byte[] body;
            switch (i % 4)
            {
                case 0: // random bytes
                    body = new byte[random.Next(0, 300)];
                    random.NextBytes(body);
                    break;
                case 1: // a valid error, truncated
                    body = validError[..random.Next(0, validError.Length)];
                    break;
                case 2: // a valid error with random bytes replaced
                    body = (byte[])validError.Clone();
                    for (var k = random.Next(1, 6); k > 0; k--)
                    {
                        body[random.Next(body.Length)] = (byte)random.Next(256);
                    }

                    break;
                default: // JSON/HTML-ish characters
                    body = Encoding.UTF8.GetBytes(new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
                    break;
            }

            var status = random.Next(100, 600);
            var reason = i % 7 == 0 ? "Weird\r\nReason" : null;
            var line = ApiErrorLine.Format(status, reason, contentTypes[random.Next(contentTypes.Length)], body);

            Assert.StartsWith("bb: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain(line, char.IsControl);
            Assert.True(line.Length < 600, line);
        }
    }

    [Fact]
    public void Deeply_nested_json_does_not_throw()
    {
        var body = new string('[', 10_000) + new string(']', 10_000);

        Assert.StartsWith("bb: HTTP 400 Bad Request", ApiErrorLine.Format(400, null, "application/json", body), StringComparison.Ordinal);
    }
}
