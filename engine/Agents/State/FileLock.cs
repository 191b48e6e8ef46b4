namespace Engine.Agents.State;

/// <summary>
/// An exclusive advisory lock on a file (flock under .NET's FileShare.None), released when disposed
/// or when the holding process dies, so a crashed holder never leaves it taken.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static FileLock? TryAcquire(string path)
    {
        try
        {
            return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static FileLock? Acquire(string path, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var acquired = TryAcquire(path);
            if (acquired is not null || DateTime.UtcNow >= deadline)
                return acquired;
            Thread.Sleep(20);
        }
    }

    public void Dispose() => _stream.Dispose();
}
