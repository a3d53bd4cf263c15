Console.WriteLine("local provider: not yet implemented");
