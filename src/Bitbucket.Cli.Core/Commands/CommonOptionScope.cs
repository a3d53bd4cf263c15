namespace Bitbucket.Cli.Core.Commands;

/// <summary>
/// Which of the common flags (<see cref="CommonOptions"/>) a generated command takes. Its help lists exactly these,
/// and a run refuses any other one it is given (a usage error) instead of ignoring it: one rule for both.
/// </summary>
internal static class CommonOptionScope
{
    /// <summary>Whether the command for <paramref name="endpoint"/> takes the common flag <c>--<paramref name="option"/></c>.</summary>
    internal static bool Applies(string option, EndpointInfo endpoint) => option switch
    {
        // Following pages: only a command that lists has any.
        BbOptionNames.Paginate or BbOptionNames.Limit or BbOptionNames.Slurp or BbOptionNames.Parallel => endpoint.Paginated,

        // The shape of what is printed: a list, or the one object a GET shows (other methods answer with what they did).
        BbOptionNames.Jsonl or BbOptionNames.Format => endpoint.Paginated || IsGet(endpoint),

        // -R fills a command's repository coordinates; a command without them has nothing to fill.
        BbOptionNames.Repo => endpoint.Parameters.Any(p => p.Context is not null),
        _ => true,
    };

    /// <summary>The usage error for the first common flag given that <paramref name="endpoint"/>'s command does not take, or null.</summary>
    internal static string? Refusal(CommonOptions common, EndpointInfo endpoint)
    {
        (string Name, bool Given)[] flags =
        [
            (BbOptionNames.Paginate, common.Paginate), (BbOptionNames.Limit, common.Limit is not null),
            (BbOptionNames.Slurp, common.Slurp), (BbOptionNames.Parallel, common.Parallel is not null),
            (BbOptionNames.Jsonl, common.Jsonl), (BbOptionNames.Format, common.Format is not null),
            (BbOptionNames.Repo, common.Repo is not null),
        ];
        var command = $"bb {endpoint.Group} {endpoint.Name}";
        foreach (var (name, given) in flags)
        {
            if (!given || Applies(name, endpoint))
            {
                continue;
            }

            return name switch
            {
                BbOptionNames.Repo => $"{command} takes no repository: -R/--repo does not apply",
                BbOptionNames.Jsonl or BbOptionNames.Format => $"{command} ({endpoint.Method}) prints its answer as JSON: --{name} does not apply",
                _ => $"{command} does not list: --{name} does not apply",
            };
        }

        return null;
    }

    private static bool IsGet(EndpointInfo endpoint) => string.Equals(endpoint.Method, "GET", StringComparison.OrdinalIgnoreCase);
}
