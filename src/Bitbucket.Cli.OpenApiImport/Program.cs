using Bitbucket.Cli.OpenApiImport;

return ImportCommand.Run(args, Console.Out, Console.Error);
