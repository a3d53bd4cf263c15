namespace Bitbucket.Cli.Spec.Tests;

/// <summary>
/// A theory too slow for the default run (minutes, e.g. a full build of the tool): reported as skipped,
/// with the reason, unless the environment has <c>BB_SLOW_TESTS=1</c>.
/// </summary>
public sealed class SlowTheoryAttribute : TheoryAttribute
{
    public const string Variable = "BB_SLOW_TESTS";

    public SlowTheoryAttribute()
    {
        if (!Enabled)
        {
            Skip = $"slow, opt-in: set {Variable}=1 to run it";
        }
    }

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";
}
