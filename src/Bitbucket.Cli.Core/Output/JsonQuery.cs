using System.Text.Json;
using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bitbucket.Cli.Core.Output;

/// <summary>
/// A compiled JMESPath expression (--query). The only type that touches JmesPath.Net, so the engine can be
/// swapped without changing callers.
/// </summary>
/// <remarks>
/// JmesPath.Net works on Newtonsoft JTokens, so values cross the boundary as JSON text. A consequence:
/// numbers inside a query <em>result</em> are re-formatted by Newtonsoft (<c>1.50</c> becomes <c>1.5</c>);
/// without --query the input's number text is printed untouched.
/// </remarks>
public sealed class JsonQuery
{
    private readonly JmesPathExpression expression;

    private JsonQuery(string text, JmesPathExpression expression)
    {
        Text = text;
        this.expression = expression;
    }

    /// <summary>
    /// The largest body --query takes: the query engine holds a document several times the size of
    /// its text, so a larger body is refused with one line rather than taking gigabytes.
    /// </summary>
    public const long MaxInputBytes = 32L << 20;

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    /// <summary>Compiles <paramref name="expression"/>; a syntax error is a usage error.</summary>
    public static JsonQuery Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            return new JsonQuery(expression, new JmesPath().Parse(expression));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new UsageException($"invalid --query expression '{OneLine.Collapse(expression, 80)}': {OneLine.Collapse(ex.Message, 200)}");
        }
    }

    /// <summary>
    /// Evaluates the expression against <paramref name="input"/>. Returns null when the result is JSON null
    /// (jq style: the caller prints nothing); otherwise a document the caller must dispose.
    /// </summary>
    public JsonDocument? Evaluate(JsonElement input)
    {
        string? result;
        try
        {
            var token = this.expression.Transform(JmesPath.ParseJson(input.GetRawText())).AsJToken();
            result = token is null || token.Type == JTokenType.Null ? null : token.ToString(Formatting.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !IsInvalidUtf8(ex))
        {
            throw new UsageException($"--query failed: {OneLine.Collapse(ex.Message, 200)}");
        }

        return result is null ? null : JsonDocument.Parse(result);
    }

    /// <summary>
    /// <paramref name="body"/>, cut off with a one-line error (exit 1) past <see cref="MaxInputBytes"/>.
    /// </summary>
    public static Stream Bounded(Stream body) => new BoundedStream(body, MaxInputBytes);

    /// <summary>System.Text.Json met bytes that are not UTF-8 inside a string: the server's fault, not the query's.</summary>
    internal static bool IsInvalidUtf8(Exception error) =>
        error is InvalidOperationException && error.InnerException is System.Text.DecoderFallbackException;

    private sealed class BoundedStream(Stream inner, long max) : Http.ReadOnlyStream
    {
        private long total;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        private int Count(int read)
        {
            total += read;
            return total <= max
                ? read
                : throw new CliException($"the response is larger than {max >> 20} MiB, too large for --query (print it without --query and filter it with another tool)");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
