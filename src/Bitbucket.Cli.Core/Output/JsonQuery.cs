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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new UsageException($"--query failed: {OneLine.Collapse(ex.Message, 200)}");
        }

        return result is null ? null : JsonDocument.Parse(result);
    }
}
