using System.Diagnostics;

namespace Orchestrator.Fleet;

/// <summary>
/// Safe reads and writes of the registry: one writer at a time (a lock file beside it, released by the OS even when
/// the process is killed), and the new content written beside the old, flushed to disk and renamed over it. A
/// symbolic link is followed, so the file it points at is edited and the link stays. Every failure is one sentence
/// naming the file (exit 2: the target could not run); only a lock held by another process is waited for.
/// </summary>
internal static class RegistryFile
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The file a path names: itself, or the file at the end of its chain of symbolic links (which need not exist yet).</summary>
    public static AbsolutePath Resolve(AbsolutePath path)
    {
        var resolved = path;
        if (new FileInfo(path).LinkTarget is { } target)
        {
            try
            {
                resolved = AbsolutePath.Create(File.ResolveLinkTarget(path, returnFinalTarget: true)!.FullName);
            }
            catch (IOException)
            {
                throw new TargetFailedException($"{Display(path)} is a symbolic link that never reaches a file (it points at {target}, which loops back); point it at the registry file", 2);
            }
        }
        if (resolved.DirectoryExists())
            throw new TargetFailedException($"{Display(path)} is a folder, not a registry file; pass the file, e.g. --fleet {Path.Combine(Display(path), "fleet.toml")}", 2);
        return resolved;
    }

    /// <summary>The content of the file a path names, or null when there is none.</summary>
    public static byte[]? Read(AbsolutePath path)
    {
        var file = Resolve(path);
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TargetFailedException($"{Display(path)} cannot be read: {Reason(e)}", 2);
        }
    }

    /// <summary>Runs <paramref name="action"/> holding the registry's lock; waits (up to a minute) only while another process holds it.</summary>
    public static T UnderLock<T>(AbsolutePath path, Func<T> action)
    {
        using var held = Lock(Resolve(path), path);
        return action();
    }

    private static FileStream Lock(AbsolutePath file, AbsolutePath shown)
    {
        var lockPath = file + ".lock";
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock on the file; the OS drops it when the process dies.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (IsHeldByAnotherProcess(e))
            {
                if (waited.Elapsed >= LockTimeout)
                    throw new TargetFailedException($"{Display(AbsolutePath.Create(lockPath))} is held by another runbook process for over {LockTimeout.TotalSeconds:0} s; retry when it finishes", 2);
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CannotEdit(shown, e, $"taking the lock {Path.GetFileName(lockPath)}");
            }
        }
    }

    /// <summary>
    /// Replaces the file in one step: readers and killed writers see the old content or the new, never a mix. A link
    /// is followed and kept; a file without its owner's write permission is refused, even for root, whom the mode
    /// would not stop.
    /// </summary>
    public static void WriteAtomically(AbsolutePath path, byte[] content)
    {
        var file = Resolve(path);
        CheckWritable(file, path);
        var temporary = file.Parent! / $".{file.Name}.tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (file.FileExists() && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(file));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotEdit(path, e, $"writing {temporary.Name} beside it");
        }
        finally
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing was made to delete, or the folder refuses changes: the error above says which.
            }
        }
    }

    /// <summary>Refuses, up front, a registry that an edit would be refused: read-only, or on a file system that takes no writes.</summary>
    public static void CheckWritable(AbsolutePath path) => CheckWritable(Resolve(path), path);

    private static void CheckWritable(AbsolutePath file, AbsolutePath shown)
    {
        if (!file.FileExists())
            return;
        var readOnly = OperatingSystem.IsWindows()
            ? File.GetAttributes(file).HasFlag(FileAttributes.ReadOnly)
            : !File.GetUnixFileMode(file).HasFlag(UnixFileMode.UserWrite);
        if (readOnly)
            throw new TargetFailedException($"{Display(shown)} is read-only, so the runbook leaves it as it is; make it writable (chmod u+w {Display(file)}) to let the runbook edit it", 2);
        try
        {
            // Opening for writing changes nothing, and finds what the mode does not say: another owner, a read-only mount.
            using var probe = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotEdit(shown, e, "opening it for writing");
        }
    }

    private static TargetFailedException CannotEdit(AbsolutePath path, Exception e, string doing) =>
        new($"{Display(path)} cannot be edited: {Reason(e)} ({doing}); nothing was changed", 2);

    /// <summary>What went wrong, as the operating system says it, without the path that .NET appends.</summary>
    public static string Reason(Exception e)
    {
        if (e is UnauthorizedAccessException)
            return "permission denied";
        var message = e.Message;
        var path = message.IndexOf(" : '", StringComparison.Ordinal);
        var reason = (path > 0 ? message[..path] : message).TrimEnd('.');
        return reason.Length > 0 ? char.ToLowerInvariant(reason[0]) + reason[1..] : e.GetType().Name;
    }

    // A lock held elsewhere surfaces as "would block" (EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs) or, on
    // Windows, as a sharing or lock violation; any other error is real and is reported at once.
    private static bool IsHeldByAnotherProcess(IOException e) =>
        OperatingSystem.IsWindows()
            ? e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
            : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);

    private static string Display(AbsolutePath path) => FleetRegistry.Display(path);
}
