// Checks bb's tool packages (issue 17.5), run by tests/aot-smoke.sh as a file-based app:
//   dotnet run tests/packaging/check-package.cs -- Bitbucket.Cli.osx-arm64.nupkg osx-arm64
//     a framework-dependent RID package: bb.dll carries ReadyToRun code compiled for the RID's OS and
//     architecture (read from its PE headers), its launcher is that platform's executable format;
//   dotnet run tests/packaging/check-package.cs -- Bitbucket.Cli.any.nupkg any
//     the fallback: plain IL, no launcher;
//   dotnet run tests/packaging/check-package.cs -- Bitbucket.Cli.nupkg pointer RID...
//     the pointer package names a Bitbucket.Cli.RID package for each RID given.
// Prints one line per fact and exits 0 when every fact holds, 1 when one does not, 2 on bad arguments.
using System.IO.Compression;
using System.Reflection.PortableExecutable;

if (args.Length < 2 || (args[1] != "pointer" && args.Length != 2))
{
    Console.Error.WriteLine("usage: check-package PACKAGE.nupkg RID | PACKAGE.nupkg pointer RID...");
    return 2;
}

var (package, rid) = (args[0], args[1]);
var failures = 0;
void Fact(bool holds, string what)
{
    Console.WriteLine($"  {(holds ? "ok  " : "FAIL")}  {what}");
    if (!holds)
    {
        failures++;
    }
}

using var zip = ZipFile.OpenRead(package);
if (rid == "pointer")
{
    var pointer = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
    var listed = pointer is null ? "" : new StreamReader(pointer.Open()).ReadToEnd();
    Fact(pointer is not null, "the pointer package has a DotnetToolSettings.xml");
    foreach (var each in args.Skip(2))
    {
        Fact(listed.Contains($"<RuntimeIdentifierPackage RuntimeIdentifier=\"{each}\" Id=\"Bitbucket.Cli.{each}\" />"),
            $"it points {each} at Bitbucket.Cli.{each}");
    }
    return Done();
}

var prefix = $"tools/net10.0/{rid}/";
var dll = zip.GetEntry(prefix + "bb.dll");
Fact(dll is not null, $"{prefix}bb.dll is in the package");
using var pe = dll is null ? null : new PEReader(Read(dll));

if (rid == "any")
{
    // The fallback runs on every platform .NET runs on: plain IL (machine I386, no native header), no launcher.
    if (pe is not null)
    {
        var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
        Fact(machine == 0x014C, $"bb.dll machine 0x{machine:X4} is IL's (0x014C)");
        Fact(pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size == 0, "bb.dll has no ReadyToRun header");
    }
    Fact(zip.GetEntry(prefix + "bb") is null && zip.GetEntry(prefix + "bb.exe") is null, "no platform launcher");
    return Done();
}

var parts = rid.Split('-');
if (parts.Length != 2)
{
    Console.Error.WriteLine($"check-package: not an OS-arch RID: {rid}");
    return 2;
}

// A ReadyToRun image for a non-Windows OS stores its machine type XOR-ed with a per-OS value (crossgen2's
// TargetOS machine override), so the COFF machine field alone names both the architecture and the OS.
ushort arch = parts[1] switch { "x64" => 0x8664, "arm64" => 0xAA64, _ => 0 };
ushort os = parts[0] switch { "win" => 0, "osx" => 0x4644, "linux" => 0x7B79, _ => 1 };
if (arch == 0 || os == 1)
{
    Console.Error.WriteLine($"check-package: unknown RID: {rid}");
    return 2;
}
var expectedMachine = (ushort)(arch ^ os);

if (pe is not null)
{
    var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
    Fact(machine == expectedMachine, $"bb.dll machine 0x{machine:X4} is {rid}'s (0x{expectedMachine:X4})");
    var cor = pe.PEHeaders.CorHeader;
    var native = cor?.ManagedNativeHeaderDirectory ?? default;
    var signature = 0u;
    if (native.Size >= 4 && pe.PEHeaders.TryGetDirectoryOffset(native, out var offset))
    {
        signature = BitConverter.ToUInt32(pe.GetEntireImage().GetContent(offset, 4).AsSpan());
    }
    // READYTORUN_SIGNATURE: the bytes "RTR\0".
    Fact(signature == 0x00525452, $"bb.dll has a ReadyToRun header (signature 0x{signature:X8})");
    Fact(cor is not null && (cor.Flags & System.Reflection.PortableExecutable.CorFlags.ILLibrary) != 0,
        "bb.dll is flagged as an IL library with native code (COMIMAGE_FLAGS_IL_LIBRARY)");
}

var launcherName = parts[0] == "win" ? "bb.exe" : "bb";
var launcher = zip.GetEntry(prefix + launcherName);
Fact(launcher is not null, $"{prefix}{launcherName} (the launcher) is in the package");
if (launcher is not null)
{
    var head = new byte[4];
    using (var stream = launcher.Open())
    {
        stream.ReadExactly(head);
    }
    var magic = BitConverter.ToUInt32(head);
    var (format, holds) = parts[0] switch
    {
        "win" => ("PE", head[0] == (byte)'M' && head[1] == (byte)'Z'),
        "osx" => ("Mach-O 64-bit", magic == 0xFEEDFACF),
        _ => ("ELF", head[0] == 0x7F && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F'),
    };
    Fact(holds, $"{launcherName} is a {format} executable");
}

var settings = zip.GetEntry(prefix + "DotnetToolSettings.xml");
var text = settings is null ? "" : new StreamReader(settings.Open()).ReadToEnd();
Fact(text.Contains($"EntryPoint=\"{launcherName}\"") && text.Contains("Runner=\"executable\""),
    $"DotnetToolSettings.xml runs {launcherName} as an executable");
Fact(zip.GetEntry(prefix + "bb.runtimeconfig.json") is not null, "bb.runtimeconfig.json is there (framework-dependent)");

return Done();

int Done()
{
    Console.WriteLine($"check-package {rid}: {(failures == 0 ? "all facts hold" : $"{failures} failed")}");
    return failures == 0 ? 0 : 1;
}

static MemoryStream Read(ZipArchiveEntry entry)
{
    var bytes = new MemoryStream();
    using (var stream = entry.Open())
    {
        stream.CopyTo(bytes);
    }
    bytes.Position = 0;
    return bytes;
}
