using System.Runtime.CompilerServices;

// The config tests inject a failing writer (ConfigStore.WriteContent) to prove saves are atomic.
[assembly: InternalsVisibleTo("Bitbucket.Cli.Config.Tests")]
