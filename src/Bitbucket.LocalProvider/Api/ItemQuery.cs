using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitbucket.LocalProvider.Api;

/// <summary>
/// A tiny subset of Bitbucket's filter language (<c>q</c>) and <c>sort</c>, applied to the JSON items
/// of a list: clauses <c>path op value</c> with <c>=</c>, <c>!=</c>, <c>~</c> (contains, case-insensitive),
/// <c>!~</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>, joined by <c>AND</c> / <c>OR</c> (AND binds
/// tighter; no parentheses). Values are "strings", numbers, true, false or null.
/// </summary>
internal static class ItemQuery
{
    private sealed record Clause(string Path, string Operator, JsonNode? Value);

    /// <summary>Filters by <c>q</c> and orders by <c>sort</c>; returns an error result for bad input.</summary>
    public static IReadOnlyList<JsonNode> Apply(IReadOnlyList<JsonNode> items, string? q, string? sort, out IResult? error)
    {
        error = null;
        IEnumerable<JsonNode> result = items;
        if (!string.IsNullOrWhiteSpace(q))
        {
            if (!TryParse(q, out var groups, out var problem))
            {
                error = BitbucketError.Result(StatusCodes.Status400BadRequest, "Invalid query", problem);
                return [];
            }

            result = result.Where(item => groups.Any(all => all.All(clause => Matches(item, clause))));
        }

        if (!string.IsNullOrWhiteSpace(sort))
        {
            var descending = sort.StartsWith('-');
            var path = sort.TrimStart('-');
            result = descending
                ? result.OrderByDescending(item => Select(item, path), ValueComparer.Instance)
                : result.OrderBy(item => Select(item, path), ValueComparer.Instance);
        }

        return result.ToList();
    }

    private static JsonNode? Select(JsonNode item, string path)
    {
        var node = item;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node;
    }

    private static bool Matches(JsonNode item, Clause clause)
    {
        var actual = Select(item, clause.Path);
        var compare = ValueComparer.Instance.Compare(actual, clause.Value);
        return clause.Operator switch
        {
            "=" => compare == 0,
            "!=" => compare != 0,
            "~" => Text(actual).Contains(Text(clause.Value), StringComparison.OrdinalIgnoreCase),
            "!~" => !Text(actual).Contains(Text(clause.Value), StringComparison.OrdinalIgnoreCase),
            ">" => actual is not null && compare > 0,
            ">=" => actual is not null && compare >= 0,
            "<" => actual is not null && compare < 0,
            _ => actual is not null && compare <= 0,
        };
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>Parses into OR-groups of AND-ed clauses.</summary>
    private static bool TryParse(string q, out List<List<Clause>> groups, out string problem)
    {
        groups = [[]];
        problem = "";
        var tokens = Tokenize(q);
        if (tokens is null)
        {
            problem = "unterminated string";
            return false;
        }

        var i = 0;
        while (true)
        {
            if (i + 3 > tokens.Count || !IsPath(tokens[i]) || !IsOperator(tokens[i + 1]))
            {
                problem = $"expected 'field operator value' at token {i + 1} of '{q}'";
                return false;
            }

            if (!TryValue(tokens[i + 2], out var value))
            {
                problem = $"bad value {tokens[i + 2]}";
                return false;
            }

            groups[^1].Add(new Clause(tokens[i], tokens[i + 1], value));
            i += 3;
            if (i == tokens.Count)
            {
                return true;
            }

            switch (tokens[i].ToUpperInvariant())
            {
                case "AND":
                    break;
                case "OR":
                    groups.Add([]);
                    break;
                default:
                    problem = $"expected AND or OR, got {tokens[i]}";
                    return false;
            }

            i++;
        }
    }

    private static bool IsPath(string token) =>
        token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    private static bool IsOperator(string token) => token is "=" or "!=" or "~" or "!~" or ">" or ">=" or "<" or "<=";

    private static bool TryValue(string token, out JsonNode? value)
    {
        value = null;
        if (token.StartsWith('"'))
        {
            value = JsonValue.Create(token[1..]);
            return true;
        }

        switch (token)
        {
            case "null":
                return true;
            case "true" or "false":
                value = JsonValue.Create(token == "true");
                return true;
        }

        if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            value = JsonValue.Create(number);
            return true;
        }

        return false;
    }

    /// <summary>Words, operators and strings; a string token keeps its opening quote. Null when a string is unterminated.</summary>
    private static List<string>? Tokenize(string q)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < q.Length)
        {
            var c = q[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var text = new StringBuilder("\"");
                i++;
                while (i < q.Length && q[i] != '"')
                {
                    if (q[i] == '\\' && i + 1 < q.Length)
                    {
                        i++;
                    }

                    text.Append(q[i++]);
                }

                if (i >= q.Length)
                {
                    return null;
                }

                i++;
                tokens.Add(text.ToString());
            }
            else if (c is '=' or '!' or '~' or '<' or '>')
            {
                var start = i++;
                while (i < q.Length && q[i] is '=' or '~')
                {
                    i++;
                }

                tokens.Add(q[start..i]);
            }
            else
            {
                var start = i;
                while (i < q.Length && !char.IsWhiteSpace(q[i]) && q[i] is not ('"' or '=' or '!' or '~' or '<' or '>'))
                {
                    i++;
                }

                tokens.Add(q[start..i]);
            }
        }

        return tokens;
    }

    /// <summary>Orders JSON scalars: null first, then numbers numerically, booleans, strings ordinally (ISO dates sort right).</summary>
    private sealed class ValueComparer : IComparer<JsonNode?>
    {
        public static readonly ValueComparer Instance = new();

        public int Compare(JsonNode? x, JsonNode? y)
        {
            if (x is null || y is null)
            {
                return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            }

            if (x is JsonValue a && y is JsonValue b)
            {
                if (a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number)
                {
                    return Number(a).CompareTo(Number(b));
                }

                if (a.TryGetValue<bool>(out var ab) && b.TryGetValue<bool>(out var bb))
                {
                    return ab.CompareTo(bb);
                }
            }

            return string.CompareOrdinal(Text(x), Text(y));
        }

        // Parsed from the JSON text: a JsonValue built from a long will not convert to decimal itself.
        private static decimal Number(JsonValue value) =>
            decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
