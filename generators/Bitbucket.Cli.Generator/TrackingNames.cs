namespace Bitbucket.Cli.Generator;

/// <summary>Names of the pipeline steps, so tests can check each step is cached between runs.</summary>
internal static class TrackingNames
{
    public const string SpecFiles = nameof(SpecFiles);
    public const string ParseResults = nameof(ParseResults);
    public const string SelectedSpec = nameof(SelectedSpec);
    public const string Options = nameof(Options);
    public const string GenerationInput = nameof(GenerationInput);

    public static readonly string[] All = [SpecFiles, ParseResults, SelectedSpec, Options, GenerationInput];
}
