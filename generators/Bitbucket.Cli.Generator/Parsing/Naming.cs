using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Bitbucket.Cli.Generator.Parsing;

/// <summary>How spec names become C# and command-line names. Used only by the parser.</summary>
internal static class Naming
{
    /// <summary>Group and command names: <c>^[a-z][a-z0-9]*(-[a-z0-9]+)*$</c>.</summary>
    public static bool IsKebabCase(string name)
    {
        if (name.Length == 0 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '-')
            {
                if (i == name.Length - 1 || name[i + 1] == '-')
                {
                    return false;
                }
            }
            else if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A kebab-case name as a C# type or member name: <c>pull-requests</c> → <c>PullRequests</c>.</summary>
    public static string PascalCase(string kebab)
    {
        var sb = new StringBuilder(kebab.Length);
        var upper = true;
        foreach (var c in kebab)
        {
            if (c == '-')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return sb.ToString();
    }

    /// <summary>
    /// Splits a wire name into lower-case words at non-alphanumerics and case changes:
    /// <c>repo_slug</c>, <c>X-Request-Id</c>, <c>pageLen</c>, <c>HTMLUrl</c> → [repo, slug], [x, request, id], [page, len], [html, url].
    /// </summary>
    public static IReadOnlyList<string> Words(string wireName)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < wireName.Length; i++)
        {
            var c = wireName[i];
            if (!IsAsciiLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            if (current.Length > 0 && IsUpper(c))
            {
                var prev = wireName[i - 1];
                var nextIsLower = i + 1 < wireName.Length && IsLower(wireName[i + 1]);
                if (!IsUpper(prev) || nextIsLower)
                {
                    Flush(); // pageLen → page|Len, HTMLUrl → HTML|Url
                }
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>
    /// The letters and digits of a wire name that <see cref="Words"/> drops because they are not ASCII
    /// (<c>ünï_cöde</c> → <c>üïö</c>): a name made from the rest would not be the name the API uses.
    /// </summary>
    public static string NonAsciiLettersOrDigits(string wireName)
    {
        var dropped = new StringBuilder();
        for (var i = 0; i < wireName.Length; i++)
        {
            if (wireName[i] > '\u007F' && char.IsLetterOrDigit(wireName, i))
            {
                dropped.Append(wireName[i]);
            }
            else if (char.IsHighSurrogate(wireName[i]) && i + 1 < wireName.Length && char.IsLetterOrDigit(wireName, i))
            {
                dropped.Append(wireName, i, 2);
                i++;
            }
        }

        return dropped.ToString();
    }

    /// <summary><c>repo_slug</c> → <c>repo-slug</c>.</summary>
    public static string CliName(IReadOnlyList<string> words) => string.Join("-", words);

    /// <summary><c>repo_slug</c> → <c>repoSlug</c>; keywords get <c>@</c>, a leading digit gets <c>_</c>.</summary>
    public static string Identifier(IReadOnlyList<string> words)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            sb.Append(i == 0 ? word : char.ToUpperInvariant(word[0]) + word.Substring(1));
        }

        if (sb.Length > 0 && sb[0] is >= '0' and <= '9')
        {
            sb.Insert(0, '_');
        }

        var identifier = sb.ToString();
        return SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;
    }

    /// <summary>True if <paramref name="value"/> is a dotted C# namespace such as <c>Bitbucket.Cli.Api</c>.</summary>
    public static bool IsValidNamespace(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var part in value.Split('.'))
        {
            if (!SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Levenshtein distance, for "did you mean" hints on misspelled keys and methods.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = System.Math.Min(System.Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static bool IsAsciiLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static bool IsUpper(char c) => c is >= 'A' and <= 'Z';

    private static bool IsLower(char c) => c is >= 'a' and <= 'z';
}
