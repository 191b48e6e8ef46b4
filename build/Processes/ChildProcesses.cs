using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Processes;

/// <summary>
/// The child processes running now (git, a harness), so that an abort stops all of them, and everything they started,
/// at once, whether or not the code that started them was handed the abort: whatever step they belong to then fails,
/// and the target undoes its work. Children started after the abort (the undo's own git commands) run to their end.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, bool> Running = new();

    /// <summary>Cancelling <paramref name="abort"/> stops every child process running at that moment.</summary>
    public static CancellationTokenRegistration StopOn(CancellationToken abort) => abort.Register(StopAll);

    /// <summary>Counts the process as running until the result is disposed.</summary>
    public static IDisposable Track(Process process)
    {
        Running[process] = true;
        return new Untrack(process);
    }

    private static void StopAll()
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                if (!process.HasExited)
                    Command.StopTree(process);
            }
            catch (InvalidOperationException)
            {
                // It ended (and was let go) meanwhile.
            }
        }
    }

    private sealed class Untrack(Process process) : IDisposable
    {
        public void Dispose() => Running.TryRemove(process, out _);
    }
}
