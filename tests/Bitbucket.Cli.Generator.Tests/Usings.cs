// The shared in-memory generator driver (GeneratorHarness) and source-tree paths (TestPaths).
global using Bitbucket.Cli.TestSupport;
