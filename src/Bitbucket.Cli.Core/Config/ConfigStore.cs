using System.Diagnostics;
using Bitbucket.Cli.Core.Native;

namespace Bitbucket.Cli.Core.Config;

/// <summary>
/// The only reader and writer of <c>hosts.json</c>. Reads never fail for a missing file and never
/// hide a corrupt one; writes are serialized by a lock file, re-read under the lock, and replace
/// the file atomically with a private (0600) copy, so a crash or a concurrent bb never leaves it
/// half-written or loses a change.
/// </summary>
internal sealed class ConfigStore
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Group or others may write (<c>go+w</c>): anyone in them could plant hosts or read what bb writes next.</summary>
    private const int WritableByOthers = 0b000_010_010;

    /// <summary>A real hosts.json is a few kilobytes; anything past this is not one (or is a device).</summary>
    internal const int MaxFileBytes = 1024 * 1024;

    private static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(25);

    private readonly Action<string> warn;
    private readonly TimeSpan lockTimeout;
    private readonly BbConfig empty;

    /// <param name="filePath">The <c>hosts.json</c> to use; see <see cref="ConfigPaths.HostsFile"/>.</param>
    /// <param name="builtIn">The built-in host (<see cref="HostConfig.BitbucketCloud"/>), present in every configuration.</param>
    /// <param name="warn">Receives one-line notices, e.g. that loose file permissions were fixed.</param>
    /// <param name="lockTimeout">How long <see cref="Update"/> waits for another bb's write (default 10 s).</param>
    public ConfigStore(string filePath, HostConfig builtIn, Action<string>? warn = null, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        empty = BbConfig.Empty(builtIn);
        FilePath = Path.GetFullPath(filePath);
        this.warn = warn ?? (static _ => { });
        this.lockTimeout = lockTimeout ?? DefaultLockTimeout;
    }

    /// <summary>The store at the standard location for <paramref name="environment"/>.</summary>
    public static ConfigStore ForEnvironment(Func<string, string?> environment, HostConfig builtIn, Action<string>? warn = null)
        => new(ConfigPaths.HostsFile(environment), builtIn, warn);

    public string FilePath { get; }

    /// <summary>Writes the serialized file into the temporary file; tests replace it to simulate a failing disk.</summary>
    internal Action<Stream, byte[]> WriteContent { get; init; } = static (stream, bytes) => stream.Write(bytes);

    /// <summary>The current configuration; only the built-in host when the file does not exist.</summary>
    /// <exception cref="ConfigException">
    /// The file cannot be read, is not a valid configuration, or is not trusted (see <see cref="CheckTrusted"/>).
    /// </exception>
    public BbConfig Load()
    {
        var target = ResolveTarget();
        CheckTrusted(target);
        return Read(target);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the configuration as it is on disk now, under an
    /// exclusive lock, and saves the result atomically. Nothing is written when
    /// <paramref name="change"/> returns the instance it was given.
    /// </summary>
    /// <returns>The configuration as saved.</returns>
    /// <exception cref="ConfigException">
    /// The file is corrupt (it is never overwritten), another bb holds the lock for too long, or the file cannot be written.
    /// </exception>
    public BbConfig Update(Func<BbConfig, BbConfig> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var target = ResolveTarget();
        EnsureDirectory(Path.GetDirectoryName(target)!);
        CheckTrusted(target);

        using var heldLock = AcquireLock(target);
        var current = Read(target);
        var next = change(current) ?? throw new InvalidOperationException("the configuration change returned null");
        if (!ReferenceEquals(next, current))
        {
            WriteAtomically(target, ConfigFile.Serialize(next));
        }

        return next;
    }

    /// <summary>
    /// Logout: removes an account (the host's default when <paramref name="username"/> is null)
    /// and its secrets from the file; see <see cref="BbConfig.WithoutAccount"/>.
    /// </summary>
    /// <returns>The username that was removed.</returns>
    /// <exception cref="ConfigException">No such host or account, or the file cannot be updated.</exception>
    public string RemoveAccount(string host, string? username = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        string? removed = null;
        Update(config =>
        {
            removed = config.GetHost(host).GetAccount(username)?.Username;
            return config.WithoutAccount(host, username);
        });
        return removed!;
    }

    /// <summary>
    /// A symlinked <c>hosts.json</c> (dotfile managers) is followed, so saving replaces the file it
    /// points to instead of the link.
    /// </summary>
    private string ResolveTarget()
    {
        try
        {
            var info = new FileInfo(FilePath);
            return info.LinkTarget is null ? FilePath : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? FilePath;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read {FilePath}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Like ssh's StrictModes: the configuration directory, the directory of the file a symlinked
    /// hosts.json points to, and the file itself must belong to this user (or root) and must not be
    /// writable by group or others, or another local user could plant hosts (their OAuth URLs, PLAINTEXT)
    /// and receive the consumer secret. The file must be a regular file (not a FIFO that blocks the
    /// read, not a device) of at most <see cref="MaxFileBytes"/>. A missing file or directory passes.
    /// Not on Windows, whose ACLs this does not model.
    /// </summary>
    private void CheckTrusted(string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = Path.GetDirectoryName(FilePath)!;
        CheckDirectory(directory);
        var targetDirectory = Path.GetDirectoryName(target)!;
        if (targetDirectory != directory)
        {
            CheckDirectory(targetDirectory);
        }

        if (!TryStat(target, out var status))
        {
            return; // missing: reading treats it as empty, writing creates it private
        }

        if ((status.Mode & UnixNative.FileTypeMask) != UnixNative.RegularFile)
        {
            throw new ConfigException($"{target} is not a regular file (a FIFO, device or directory); bb reads its configuration only from a regular file: move it away");
        }

        CheckOwnerAndMode(target, status, "configuration file");
        if (status.Size > MaxFileBytes)
        {
            throw new ConfigException($"{target} is larger than {MaxFileBytes / 1024 / 1024} MiB, which no bb configuration is: move it away");
        }
    }

    private static void CheckDirectory(string directory)
    {
        if (!TryStat(directory, out var status))
        {
            return;
        }

        if ((status.Mode & UnixNative.FileTypeMask) != UnixNative.Directory)
        {
            throw new ConfigException($"{directory} is not a directory: move it away");
        }

        CheckOwnerAndMode(directory, status, "configuration directory");
    }

    private static void CheckOwnerAndMode(string path, UnixNative.FileStatus status, string what)
    {
        var me = UnixNative.GetEffectiveUserId();
        if (status.Uid != me && status.Uid != 0)
        {
            throw new ConfigException($"{path} belongs to another user (uid {status.Uid}); bb does not trust a {what} it does not own: move it away");
        }

        if ((status.Mode & WritableByOthers) != 0)
        {
            var mode = (UnixFileMode)(status.Mode & 0xFFF);
            throw new ConfigException($"{path} is writable by group or others (mode {Octal(mode)}); bb does not trust such a {what}: run chmod go-w {path}");
        }
    }

    /// <returns>False when the path cannot be examined (it does not exist): the read that follows says why, if it matters.</returns>
    private static bool TryStat(string path, out UnixNative.FileStatus status)
    {
        try
        {
            return UnixNative.Stat(path, out status) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            status = default;
            return false;
        }
    }

    private BbConfig Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = ReadBounded(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read {path}: {e.Message}", e);
        }

        FixPermissions(path);
        return ConfigFile.Parse(path, bytes, empty.BuiltIn);
    }

    /// <summary>The whole file, but never more than <see cref="MaxFileBytes"/>, whatever the file turns out to be.</summary>
    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        using var content = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > MaxFileBytes)
            {
                throw new ConfigException($"{path} is larger than {MaxFileBytes / 1024 / 1024} MiB, which no bb configuration is: move it away");
            }
        }

        return content.ToArray();
    }

    private void FixPermissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) == 0)
            {
                return;
            }

            File.SetUnixFileMode(path, PrivateFile);
            warn($"fixed permissions of {path} (was {Octal(mode)})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"could not make {path} private (chmod 600 it): {e.Message}");
        }
    }

    private static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                // One level at a time: CreateDirectory's mode applies only to the last one, and every
                // directory bb makes on the way to its configuration is private (0700).
                var missing = new Stack<string>();
                for (var level = directory; !Directory.Exists(level); level = Path.GetDirectoryName(level)!)
                {
                    missing.Push(level);
                }

                while (missing.TryPop(out var level))
                {
                    Directory.CreateDirectory(level, PrivateDirectory);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot create {directory}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Exclusive lock on <c>hosts.json.lock</c>. FileShare.None is a real lock on every platform
    /// (flock on Unix), released by the OS if bb dies. The file is left in place: deleting it
    /// would let two writers lock two different files.
    /// </summary>
    private FileStream AcquireLock(string path)
    {
        var lockPath = path + ".lock";
        var options = PrivateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (Stopwatch.GetElapsedTime(started) < lockTimeout)
            {
                Thread.Sleep(LockRetryDelay);
            }
            catch (IOException e)
            {
                throw new ConfigException($"another bb is writing {path}; try again when it has finished", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ConfigException($"cannot lock {path}: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Temp file in the same directory (so the rename is atomic), private from its creation rather
    /// than chmod-ed later, flushed to disk before it replaces the file.
    /// </summary>
    private void WriteAtomically(string path, byte[] content)
    {
        var temp = $"{path}.{Path.GetRandomFileName()}.tmp";
        try
        {
            using (var stream = new FileStream(temp, PrivateOptions(FileMode.CreateNew, FileAccess.Write)))
            {
                WriteContent(stream, content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"cannot save {path}: {e.Message}", e);
            }

            throw;
        }
    }

    private static FileStreamOptions PrivateOptions(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return options;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more, and the temp file is private (0600) like the real one.
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
}
