using Bitbucket.Cli.Core;
using Bitbucket.Cli.Core.Native;

namespace Bitbucket.Cli.Tests.Runtime;

public class ProcessHardeningTests
{
    /// <summary>
    /// prctl is looked up by glibc's soname first (a start-up saving); the call must still reach libc and take
    /// effect. Runs in the test process: being undumpable changes nothing else a test here relies on.
    /// </summary>
    [Fact]
    public void Disabling_core_dumps_makes_the_process_undumpable_on_linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        ProcessHardening.DisableCoreDumps();

        Assert.False(UnixNative.IsDumpable());
    }
}
