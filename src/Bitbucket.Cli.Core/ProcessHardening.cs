using Bitbucket.Cli.Core.Native;

namespace Bitbucket.Cli.Core;

/// <summary>What bb does to its own process before it touches a secret.</summary>
public static class ProcessHardening
{
    /// <summary>
    /// Turns core dumps off for this process: <c>RLIMIT_CORE</c> 0 (soft and hard) on Linux and macOS,
    /// and on Linux also not dumpable (<c>PR_SET_DUMPABLE</c> 0). The consumer secret, token secret and
    /// key are in memory for the whole run, and a core file would keep them on disk. Best effort and
    /// silent: a platform without these calls simply runs as before; elsewhere it does nothing.
    /// </summary>
    public static void DisableCoreDumps()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        try
        {
            UnixNative.DisableCoreFiles();
            if (OperatingSystem.IsLinux())
            {
                UnixNative.MakeNotDumpable();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Nothing to switch off with: run as before.
        }
    }
}
