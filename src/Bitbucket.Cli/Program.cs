using Bitbucket.Cli;

return await BbApp.RunAsync(args).ConfigureAwait(false);
