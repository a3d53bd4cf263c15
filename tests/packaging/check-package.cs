// Checks bb's tool packages (issue 17.5), run by tests/aot-smoke.sh as a file-based app:
//   dotnet run tests/packaging/check-package.cs -- Bitbucket.Cli.osx-arm64.nupkg osx-arm64
//     a self-contained RID package (osx-arm64, osx-x64, win-x64, linux-arm64): one composite ReadyToRun
//     image, bb.r2r.dll, compiled for the RID's OS and architecture (read from its PE headers), with bb.dll and
//     the framework's System.Private.CoreLib.dll as its components pointing at it; the runtime and the launcher
//     in that platform's formats; no shared framework needed;
//   dotnet run tests/packaging/check-package.cs -- Bitbucket.Cli.any.nupkg any
//     the fallback: plain IL, no launcher, framework-dependent;
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

if (rid == "any")
{
    var prefix = $"tools/net10.0/{rid}/";
    var dll = zip.GetEntry(prefix + "bb.dll");
    Fact(dll is not null, $"{prefix}bb.dll is in the package");
    using var pe = dll is null ? null : new PEReader(Read(dll));
    // The fallback runs on every platform .NET runs on: plain IL (machine I386, no native header), no launcher,
    // and the shared framework it runs on.
    if (pe is not null)
    {
        var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
        Fact(machine == 0x014C, $"bb.dll machine 0x{machine:X4} is IL's (0x014C)");
        Fact(pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size == 0, "bb.dll has no ReadyToRun header");
    }
    Fact(zip.GetEntry(prefix + "bb") is null && zip.GetEntry(prefix + "bb.exe") is null, "no platform launcher");
    Fact(zip.GetEntry(prefix + "bb.r2r.dll") is null, "no composite ReadyToRun image");
    Fact(ReadText(prefix + "bb.runtimeconfig.json").Contains("\"framework\""),
        "bb.runtimeconfig.json names the shared framework (framework-dependent)");
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

// A self-contained tool package keeps its files in tools/any/RID/ (a framework-dependent one in tools/TFM/RID/).
var folder = $"tools/any/{rid}/";
Fact(zip.GetEntry(folder + "DotnetToolSettings.xml") is not null, $"the tool is in {folder} (self-contained layout)");

// The composite image: no metadata of its own, its ReadyToRun header exported as RTR_HEADER, a
// ComponentAssemblies section listing the assemblies compiled into it.
var composite = zip.GetEntry(folder + "bb.r2r.dll");
Fact(composite is not null, $"{folder}bb.r2r.dll (the composite ReadyToRun image) is in the package");
if (composite is not null)
{
    using var pe = new PEReader(Read(composite));
    var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
    Fact(machine == expectedMachine, $"bb.r2r.dll machine 0x{machine:X4} is {rid}'s (0x{expectedMachine:X4})");
    var header = ExportedRva(pe, "RTR_HEADER");
    var r2r = header is null ? null : ReadyToRunHeader(pe, header.Value);
    Fact(r2r is not null, "bb.r2r.dll exports a ReadyToRun header (RTR_HEADER, signature \"RTR\")");
    if (r2r is not null)
    {
        // READYTORUN_SECTION_COMPONENT_ASSEMBLIES: one (COR header, ReadyToRun header) pair of directories each.
        var components = r2r.Value.Sections.TryGetValue(115, out var section) ? section.Size / 16 : 0;
        Console.WriteLine($"        ReadyToRun {r2r.Value.Major}.{r2r.Value.Minor}, {components} component assemblies");
        Fact(components >= 2, $"it lists component assemblies ({components})");
    }
}

// The components: each keeps its IL and metadata and gets a small ReadyToRun header flagged as a component
// (READYTORUN_FLAG_COMPONENT) whose OwnerCompositeExecutable section names the image.
foreach (var name in new[] { "bb.dll", "Bitbucket.Cli.Core.dll", "System.Private.CoreLib.dll" })
{
    var entry = zip.GetEntry(folder + name);
    if (entry is null)
    {
        Fact(false, $"{folder}{name} is in the package");
        continue;
    }
    using var pe = new PEReader(Read(entry));
    var native = pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory ?? default;
    var r2r = native.Size == 0 ? null : ReadyToRunHeader(pe, native.RelativeVirtualAddress);
    var owner = "";
    if (r2r is not null && r2r.Value.Sections.TryGetValue(116, out var section)
        && pe.PEHeaders.TryGetDirectoryOffset(section, out var offset))
    {
        owner = System.Text.Encoding.UTF8.GetString(pe.GetEntireImage().GetContent(offset, section.Size).AsSpan()).TrimEnd('\0');
    }
    var machine = (ushort)pe.PEHeaders.CoffHeader.Machine;
    Fact(r2r is not null && (r2r.Value.Flags & 0x20) != 0 && owner == "bb.r2r.dll" && machine == expectedMachine,
        $"{name} is a component of bb.r2r.dll (flags 0x{r2r?.Flags ?? 0:X}, owner \"{owner}\", machine 0x{machine:X4})");
}

// The runtime of its platform, next to the launcher: nothing to install first.
var (runtime, hostfxr) = parts[0] switch
{
    "win" => ("coreclr.dll", "hostfxr.dll"),
    "osx" => ("libcoreclr.dylib", "libhostfxr.dylib"),
    _ => ("libcoreclr.so", "libhostfxr.so"),
};
Fact(zip.GetEntry(folder + runtime) is not null && zip.GetEntry(folder + hostfxr) is not null,
    $"the runtime for {parts[0]} is in the package ({runtime}, {hostfxr})");
Fact(ReadText(folder + "bb.runtimeconfig.json").Contains("\"includedFrameworks\""),
    "bb.runtimeconfig.json lists the framework as included (self-contained)");

var launcherName = parts[0] == "win" ? "bb.exe" : "bb";
var launcher = zip.GetEntry(folder + launcherName);
Fact(launcher is not null, $"{folder}{launcherName} (the launcher) is in the package");
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

var settings = ReadText(folder + "DotnetToolSettings.xml");
Fact(settings.Contains($"EntryPoint=\"{launcherName}\"") && settings.Contains("Runner=\"executable\""),
    $"DotnetToolSettings.xml runs {launcherName} as an executable");

return Done();

int Done()
{
    Console.WriteLine($"check-package {rid}: {(failures == 0 ? "all facts hold" : $"{failures} failed")}");
    return failures == 0 ? 0 : 1;
}

string ReadText(string name)
{
    var entry = zip.GetEntry(name);
    return entry is null ? "" : new StreamReader(entry.Open()).ReadToEnd();
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

// The RVA of a named export (IMAGE_EXPORT_DIRECTORY), or null.
static int? ExportedRva(PEReader pe, string name)
{
    var image = pe.GetEntireImage();
    var exports = pe.PEHeaders.PEHeader!.ExportTableDirectory;
    if (exports.Size < 40 || !pe.PEHeaders.TryGetDirectoryOffset(exports, out var directory))
    {
        return null;
    }
    var header = image.GetContent(directory, 40).AsSpan();
    var names = BitConverter.ToInt32(header[24..]);
    int Offset(int rva) => pe.PEHeaders.TryGetDirectoryOffset(new DirectoryEntry(rva, 1), out var at) ? at : -1;
    var (functions, nameTable, ordinals) = (Offset(BitConverter.ToInt32(header[28..])),
        Offset(BitConverter.ToInt32(header[32..])), Offset(BitConverter.ToInt32(header[36..])));
    if (functions < 0 || nameTable < 0 || ordinals < 0)
    {
        return null;
    }
    for (var i = 0; i < names; i++)
    {
        var at = Offset(BitConverter.ToInt32(image.GetContent(nameTable + 4 * i, 4).AsSpan()));
        if (at < 0)
        {
            continue;
        }
        var bytes = image.GetContent(at, Math.Min(name.Length + 1, image.Length - at));
        if (System.Text.Encoding.ASCII.GetString(bytes.AsSpan()) == name + "\0")
        {
            var ordinal = BitConverter.ToUInt16(image.GetContent(ordinals + 2 * i, 2).AsSpan());
            return BitConverter.ToInt32(image.GetContent(functions + 4 * ordinal, 4).AsSpan());
        }
    }
    return null;
}

// READYTORUN_HEADER at an RVA: signature "RTR\0", version, flags, then (type, RVA, size) per section.
static (ushort Major, ushort Minor, uint Flags, Dictionary<int, DirectoryEntry> Sections)? ReadyToRunHeader(PEReader pe, int rva)
{
    if (!pe.PEHeaders.TryGetDirectoryOffset(new DirectoryEntry(rva, 16), out var at))
    {
        return null;
    }
    var image = pe.GetEntireImage();
    var fixedPart = image.GetContent(at, 16).AsSpan();
    if (BitConverter.ToUInt32(fixedPart) != 0x00525452)
    {
        return null;
    }
    var count = BitConverter.ToInt32(fixedPart[12..]);
    var sections = new Dictionary<int, DirectoryEntry>();
    for (var i = 0; i < count; i++)
    {
        var entry = image.GetContent(at + 16 + 12 * i, 12).AsSpan();
        sections[BitConverter.ToInt32(entry)] = new DirectoryEntry(BitConverter.ToInt32(entry[4..]), BitConverter.ToInt32(entry[8..]));
    }
    return (BitConverter.ToUInt16(fixedPart[4..]), BitConverter.ToUInt16(fixedPart[6..]), BitConverter.ToUInt32(fixedPart[8..]), sections);
}
