using System.Net;
using System.Text;
using Bitbucket.Cli.Core.Commands;
using Bitbucket.Cli.Core.Http;
using Bitbucket.Cli.Core.OAuth;
using Bitbucket.Cli.Core.Output;
using Bitbucket.Cli.Core.Terminal;

namespace Bitbucket.Cli.Tests.Runtime;

/// <summary>
/// Issue 13 item 8 and issue 14 item 7: what bb prints on a terminal outside a body — reason
/// phrases and header values under <c>-i</c>/<c>-v</c>, "retrying" notes — carries no escape
/// sequences or bidi overrides from the server; piped, headers are printed as received and retries are silent.
/// </summary>
public sealed class TerminalSafetyTests
{
    private const string Evil = "a\u001b[31mred\u001b]0;owned\u0007\u009b2J\u202Eevil\u2066x\u2069";

    [Theory]
    [InlineData("\u001b[2J", "[2J")]
    [InlineData("alice\u001b]0;title\u0007", "alice ]0;title")]
    [InlineData("\u202Egnp.exe", "gnp.exe")]
    [InlineData("a\u2066b\u2067c\u2068d\u2069e\u202Af\u202Bg\u202Ch\u202Di", "a b c d e f g h i")]
    [InlineData("x\u0085y\u009bz", "x y z")]
    public void OneLine_strips_controls_and_bidi_overrides(string raw, string expected)
    {
        Assert.Equal(expected, OneLine.Collapse(raw));
        Assert.Equal(expected, OneLine.ForTerminal(raw, terminal: true));
        Assert.Equal(raw, OneLine.ForTerminal(raw, terminal: false));
    }

    [Fact]
    public async Task Verbose_on_a_terminal_strips_escapes_from_the_reason_phrase_and_header_values()
    {
        var (io, error) = Console(stderrTty: true);

        await SendVerboseAsync(io);

        var text = error.ToString();
        Assert.Contains("< HTTP/1.1 200 OK", text, StringComparison.Ordinal);
        Assert.Contains("X-Evil: a [31mred ]0;owned", text, StringComparison.Ordinal);
        AssertClean(text);
    }

    [Fact]
    public async Task Verbose_piped_prints_header_values_as_received()
    {
        var (io, error) = Console(stderrTty: false);

        await SendVerboseAsync(io);

        Assert.Contains("X-Evil: " + Evil, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Include_on_a_terminal_strips_escapes_from_the_status_line_and_headers()
    {
        var output = new MemoryStream();
        var io = new ConsoleIO
        {
            Out = new StreamWriter(output, new UTF8Encoding(false)) { AutoFlush = true },
            OutStream = output,
            Error = new StringWriter(),
            In = new StringReader(string.Empty),
            Environment = static _ => null,
            StdoutIsTty = true,
        };
        using var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            ReasonPhrase = "OK" + Evil,
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/x"),
        };
        response.Headers.TryAddWithoutValidation("X-Evil", Evil);
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1/") };

        await new ResponsePrinter(io).PrintAsync(http, response, paginated: false, new CommonOptions(Include: true), new OutputSettings(), CancellationToken.None);

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.StartsWith("HTTP/1.1 200 OKa [31mred", text, StringComparison.Ordinal);
        Assert.Contains("X-Evil: a [31mred", text, StringComparison.Ordinal);
        AssertClean(text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Retries_say_so_on_a_terminal_and_are_silent_when_piped(bool terminal)
    {
        var (io, error) = Console(stderrTty: terminal);
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]);
        using var http = HttpPipeline.Create(
            new HttpPipelineOptions { BaseAddress = new Uri("http://127.0.0.1/"), RetryBaseDelay = TimeSpan.FromMilliseconds(1), Timeout = TimeSpan.FromMinutes(1) },
            io,
            TimeProvider.System,
            new RandomNonceSource(),
            new Answering(() =>
            {
                var response = new HttpResponseMessage(answers.Dequeue()) { Content = new StringContent("{}") };
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    response.Headers.TryAddWithoutValidation("Retry-After", "0");
                }

                return response;
            }));

        using var final = await http.GetAsync(new Uri("http://127.0.0.1/x"));

        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (terminal)
        {
            Assert.Equal(2, lines.Length);
            Assert.Matches(@"^bb: rate limited, retrying in \d+ s$", lines[0]);
            Assert.Matches(@"^bb: server error 503, retrying in \d+ s$", lines[1]);
        }
        else
        {
            Assert.Empty(lines);
        }
    }

    private static void AssertClean(string text)
    {
        foreach (var c in text)
        {
            Assert.False(c is < ' ' and not '\n' and not '\r' || c is >= '\u007f' and <= '\u009f' || OneLine.IsBidiControl(c), $"U+{(int)c:X4} reached the terminal: {text}");
        }
    }

    private static async Task SendVerboseAsync(ConsoleIO io)
    {
        using var http = HttpPipeline.Create(
            new HttpPipelineOptions { BaseAddress = new Uri("http://127.0.0.1/"), Verbose = true },
            io,
            TimeProvider.System,
            new RandomNonceSource(),
            new Answering(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "OK" + Evil, Content = new StringContent("{}") };
                response.Headers.TryAddWithoutValidation("X-Evil", Evil);
                return response;
            }));
        using var response = await http.GetAsync(new Uri("http://127.0.0.1/x"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static (ConsoleIO IO, StringWriter Error) Console(bool stderrTty)
    {
        var error = new StringWriter();
        var output = new MemoryStream();
        return (new ConsoleIO
        {
            Out = new StreamWriter(output),
            OutStream = output,
            Error = error,
            In = new StringReader(string.Empty),
            Environment = static _ => null,
            StderrIsTty = stderrTty,
        }, error);
    }

    private sealed class Answering(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = answer();
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
