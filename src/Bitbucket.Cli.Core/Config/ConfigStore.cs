using System.Diagnostics;

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
    /// <exception cref="ConfigException">The file cannot be read or is not a valid configuration.</exception>
    public BbConfig Load() => Read(ResolveTarget());

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

    private BbConfig Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
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
                Directory.CreateDirectory(directory, PrivateDirectory);
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
