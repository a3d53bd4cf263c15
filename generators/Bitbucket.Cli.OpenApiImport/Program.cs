Console.WriteLine("import: not yet implemented");
