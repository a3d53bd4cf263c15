using System.Text;
using Bitbucket.Cli.Generator.Emit;
using Bitbucket.Cli.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Bitbucket.Cli.Generator.Tests;

/// <summary>
/// Seeded random damage to the real spec (truncations, character and byte flips, deletions,
/// duplications, garbage): the parser and the generator never throw, and every input gives either
/// BB diagnostics or code that parses. Bounded and deterministic; no timing assertions.
/// </summary>
public sealed class CrashSafetyTests
{
    private const string Interesting = "{}[]\",:\\/ \n\r\t0123456789-+.eEtrufalsn\u0000\u001f\u00e9\u2028\uFEFF\uD83D\uDE00\uD800";
    private const int Mutations = 1500;
    private static readonly string Original = File.ReadAllText(TestPaths.RealSpec);

    public static TheoryData<string> Sources => new() { "real", "fixture" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Mutated_specs_never_crash_the_parser_and_always_give_diagnostics_or_valid_code(string source)
    {
        var original = GeneratedCode.SpecText(source);
        var random = new Random(source == "real" ? 20251129 : 7);
        var clean = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var text = Mutate(original, random);
            var result = SpecParser.Parse("api-spec.json", text);

            Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticDescriptors.InternalError.Id);
            foreach (var diagnostic in result.Diagnostics)
            {
                var location = diagnostic.Location!.Value;
                Assert.InRange(location.Start, 0, text.Length);
                Assert.InRange(location.Start + location.Length, location.Start, text.Length);
                _ = diagnostic.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture); // formats without throwing
            }

            if (result.Diagnostics.IsEmpty)
            {
                // Still valid (usually a changed description): the emitted code must parse. Parsing C#
                // is the slow part, so only the first few such cases are parsed; all are emitted.
                var files = SpecEmitter.Emit(result.Spec, SpecEmitter.DefaultNamespace);
                if (clean++ < 25)
                {
                    AssertParses(files);
                }
            }
        }

        Assert.InRange(clean, 1, Mutations - 1); // the mutations hit both strings (still valid) and structure
    }

    [Fact]
    public void Byte_flips_and_garbage_never_crash_the_generator()
    {
        var random = new Random(42);
        var bytes = Encoding.UTF8.GetBytes(Original);
        for (var i = 0; i < 150; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            }

            var input = i % 3 == 0 ? RandomBytes(random) : copy;
            var result = GeneratorHarness.Run(new InMemoryAdditionalText(GeneratorHarness.SpecPath, input));

            Assert.Null(result.Exception);
            Assert.All(result.Diagnostics, d => Assert.StartsWith("BB", d.Id, StringComparison.Ordinal));
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticDescriptors.InternalError.Id);
            if (result.Diagnostics.IsEmpty)
            {
                Assert.All(result.GeneratedSources, s => Assert.Empty(s.SyntaxTree.GetDiagnostics()));
            }
        }
    }

    [Fact]
    public void A_spec_whose_text_cannot_be_read_is_an_empty_file_error()
    {
        var result = GeneratorHarness.Run(new UnreadableText());

        Assert.Null(result.Exception);
        Assert.Equal(["BB0001"], result.Diagnostics.Select(d => d.Id));
    }

    private static void AssertParses(IEnumerable<GeneratedFile> files)
    {
        foreach (var file in files)
        {
            var tree = CSharpSyntaxTree.ParseText(file.Source, GeneratorHarness.ParseOptions);
            var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, file.HintName + ": " + string.Join("\n", errors));
        }
    }

    internal static string Mutate(string text, Random random)
    {
        for (var count = random.Next(1, 4); count > 0 && text.Length > 0; count--)
        {
            var at = random.Next(text.Length);
            text = random.Next(6) switch
            {
                0 => text[..at],
                1 => text[..at] + Interesting[random.Next(Interesting.Length)] + text[(at + 1)..],
                2 => text.Remove(at, Math.Min(random.Next(1, 60), text.Length - at)),
                3 => text.Insert(random.Next(text.Length), text.Substring(at, Math.Min(random.Next(1, 120), text.Length - at))),
                4 => text[..at] + (char)random.Next(0, 0x10000) + text[(at + 1)..],
                _ => text.Insert(at, new string(Enumerable.Range(0, random.Next(1, 8)).Select(_ => Interesting[random.Next(Interesting.Length)]).ToArray())),
            };
        }

        return text;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 200)];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class UnreadableText : AdditionalText
    {
        public override string Path => GeneratorHarness.SpecPath;

        public override Microsoft.CodeAnalysis.Text.SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }
}
