using System.Runtime.CompilerServices;

// The output tests assert on internal bookkeeping (e.g. how many items a sink holds before a flush).
[assembly: InternalsVisibleTo("Bitbucket.Cli.Output.Tests")]
