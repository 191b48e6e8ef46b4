using System.Text;
using Engine.Agents.Processes;

namespace Engine.Agents.Launching;

/// <summary>
/// Hands an agent its environment through a file only its user can read, which the launch script
/// reads and deletes before the agent's program starts. No value is ever on a command line: tmux's
/// server keeps the command line of the client that started it as its own, and <c>ps</c> shows
/// command lines to every user of the machine.
/// </summary>
internal sealed class EnvironmentHandoff : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _path;

    private EnvironmentHandoff(string path) => _path = path;

    /// <summary>Writes NAME=VALUE entries, each ended by a NUL (which no value can hold), to a new file of mode 0600.</summary>
    public static EnvironmentHandoff Write(string path, IReadOnlyDictionary<string, string> environment)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);
        // A file left by an engine killed between writing and launching is of no use to anyone.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        using (var file = new FileStream(path, options))
            foreach (var (name, value) in environment)
                file.Write(Encoding.UTF8.GetBytes(name + "=" + value + "\0"));
        return new EnvironmentHandoff(path);
    }

    /// <summary>Waits until the launch script has taken the file, or the process is gone, or 10 s have passed.</summary>
    public void AwaitPickup(int pid)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (File.Exists(_path) && ProcessTable.IsAlive(pid, null) && DateTime.UtcNow < deadline)
            Thread.Sleep(5);
    }

    /// <summary>Deletes the file when the agent did not take it: it never outlives the launch.</summary>
    public void Dispose() => File.Delete(_path);
}
