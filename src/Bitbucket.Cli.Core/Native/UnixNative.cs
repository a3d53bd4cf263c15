using System.Runtime.InteropServices;

namespace Bitbucket.Cli.Core.Native;

/// <summary>
/// The few POSIX calls .NET has no public API for. They go through the runtime's own shim
/// (<c>libSystem.Native</c>, present in every .NET on Linux and macOS and linked into a Native AOT
/// binary, with the same platform-neutral structs everywhere), except <c>prctl</c>, which only Linux's
/// libc has. Source-generated (<see cref="LibraryImportAttribute"/>), so trim and AOT safe.
/// Callers check <see cref="OperatingSystem.IsLinux"/>/<see cref="OperatingSystem.IsMacOS"/> first.
/// </summary>
internal static partial class UnixNative
{
    private const string SystemNative = "libSystem.Native";

    /// <summary><c>S_IFMT</c> and the file types, as the shim reports them on every platform.</summary>
    public const int FileTypeMask = 0xF000;
    public const int RegularFile = 0x8000;
    public const int Directory = 0x4000;
    public const int Fifo = 0x1000;

    /// <summary>The shim's resource number for <c>RLIMIT_CORE</c>.</summary>
    private const int ResourceCore = 4;

    /// <summary>Linux <c>PR_SET_DUMPABLE</c>.</summary>
    private const int SetDumpable = 4;
    private const int GetDumpable = 3;

    /// <summary>
    /// The leading fields of the shim's <c>FileStatus</c> (flags, mode, owner, group, size); the
    /// size leaves room for the fields after them, which bb does not read.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct FileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    /// <summary><c>stat(2)</c>: follows symbolic links. 0 on success.</summary>
    [LibraryImport(SystemNative, EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Stat(string path, out FileStatus status);

    /// <summary>
    /// <c>write(2)</c> on a descriptor: advances the offset the descriptor shares with the shell that
    /// opened it (a <see cref="FileStream"/> on a regular file writes with <c>pwrite</c> at a position
    /// of its own, which the shell's next write then overwrites). -1 and errno on failure.
    /// </summary>
    [LibraryImport(SystemNative, EntryPoint = "SystemNative_Write", SetLastError = true)]
    public static unsafe partial int Write(nint fd, byte* buffer, int count);

    [LibraryImport(SystemNative, EntryPoint = "SystemNative_GetEUid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport(SystemNative, EntryPoint = "SystemNative_SetRLimit", SetLastError = true)]
    private static partial int SetResourceLimit(int resource, in ResourceLimit limit);

    // glibc's soname first: the bare name "libc" makes the runtime probe libc.so (a linker script, not a
    // library) and liblibc.so in every search directory before it finds libc (about 80 failed opens, 1 ms of
    // a 40 ms start: docs/benchmarks.md, "The floor"); other libcs (musl) keep the bare name.
    [LibraryImport("libc.so.6", EntryPoint = "prctl", SetLastError = true)]
    private static partial int PrctlGlibc(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int PrctlAnyLibc(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    private static int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5)
    {
        try
        {
            return PrctlGlibc(option, arg2, arg3, arg4, arg5);
        }
        catch (DllNotFoundException)
        {
            return PrctlAnyLibc(option, arg2, arg3, arg4, arg5);
        }
    }

    /// <summary>Soft and hard core-file limit 0: a crash (or a signal) leaves no core holding secrets.</summary>
    public static bool DisableCoreFiles() => SetResourceLimit(ResourceCore, new ResourceLimit()) == 0;

    /// <summary>Linux: not dumpable, so no core either way and no ptrace or /proc/PID/mem by other processes of the user.</summary>
    public static bool MakeNotDumpable() => Prctl(SetDumpable, 0, 0, 0, 0) == 0;

    /// <summary>Linux: whether this process may still be dumped or traced (<c>PR_GET_DUMPABLE</c>).</summary>
    public static bool IsDumpable() => Prctl(GetDumpable, 0, 0, 0, 0) != 0;
}
