// Checks a RID-specific framework-dependent tool package (issue 17.5): its bb.dll carries ReadyToRun code compiled
// for the package's OS and architecture, and its launcher is that platform's executable format. Run by
// tests/aot-smoke.sh as a file-based app: `dotnet run tests/packaging/check-r2r.cs -- PACKAGE.nupkg RID`.
// Prints one line per fact and exits 0 when every fact holds, 1 when one does not, 2 on bad arguments.
using System.IO.Compression;
using System.Reflection.PortableExecutable;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: check-r2r PACKAGE.nupkg RID");
    return 2;
}

var (package, rid) = (args[0], args[1]);
var parts = rid.Split('-');
if (parts.Length != 2)
{
    Console.Error.WriteLine($"check-r2r: not an OS-arch RID: {rid}");
    return 2;
}

// A ReadyToRun image for a non-Windows OS stores its machine type XOR-ed with a per-OS value (crossgen2's
// TargetOS machine override), so the COFF machine field alone names both the architecture and the OS.
ushort arch = parts[1] switch { "x64" => 0x8664, "arm64" => 0xAA64, _ => 0 };
ushort os = parts[0] switch { "win" => 0, "osx" => 0x4644, "linux" => 0x7B79, _ => 1 };
if (arch == 0 || os == 1)
{
    Console.Error.WriteLine($"check-r2r: unknown RID: {rid}");
    return 2;
}
var expectedMachine = (ushort)(arch ^ os);

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
var prefix = $"tools/net10.0/{rid}/";
var dll = zip.GetEntry(prefix + "bb.dll");
Fact(dll is not null, $"{prefix}bb.dll is in the package");
if (dll is not null)
{
    var bytes = new MemoryStream();
    using (var stream = dll.Open())
    {
        stream.CopyTo(bytes);
    }
    bytes.Position = 0;
    using var pe = new PEReader(bytes);
    var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
    Fact(machine == expectedMachine, $"bb.dll machine 0x{machine:X4} is {rid}'s (0x{expectedMachine:X4})");
    var cor = pe.PEHeaders.CorHeader;
    var native = cor?.ManagedNativeHeaderDirectory ?? default;
    var signature = 0u;
    if (native.Size >= 4 && pe.PEHeaders.TryGetDirectoryOffset(native, out var offset))
    {
        var image = bytes.GetBuffer();
        signature = BitConverter.ToUInt32(image, offset);
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

Console.WriteLine($"check-r2r {rid}: {(failures == 0 ? "all facts hold" : $"{failures} failed")}");
return failures == 0 ? 0 : 1;
