using System.Diagnostics;

namespace Orchestrator.Fleet;

/// <summary>
/// Safe writes of the registry: one writer at a time (a lock file beside it, released by the OS even when the
/// process is killed), and the new content written beside the old, flushed to disk and renamed over it.
/// </summary>
internal static class RegistryFile
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    public static T UnderLock<T>(string path, Func<T> action)
    {
        var lockPath = path + ".lock";
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock on the file; the OS drops it when the process dies.
                using var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return action();
            }
            catch (IOException) when (File.Exists(lockPath) && waited.Elapsed < LockTimeout)
            {
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                throw new TargetFailedException($"{lockPath} is held by another runbook process for over {LockTimeout.TotalSeconds:0} s; retry when it finishes", 2);
            }
        }
    }

    /// <summary>Replaces the file in one step: readers and killed writers see the old content or the new, never a mix.</summary>
    public static void WriteAtomically(string path, byte[] content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (File.Exists(path) && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
