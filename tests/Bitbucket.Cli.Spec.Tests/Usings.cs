// The shared in-memory generator driver and source-tree paths (tests/Bitbucket.Cli.TestSupport).
global using Bitbucket.Cli.TestSupport;

// The name this project's tests used for the driver before it was shared.
global using GeneratorRunner = Bitbucket.Cli.TestSupport.GeneratorHarness;
