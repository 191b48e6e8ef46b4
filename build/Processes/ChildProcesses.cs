using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Processes;

/// <summary>
/// The child processes running now (git, a harness), so that an abort stops all of them, and everything they started,
/// at once, whether or not the code that started them was handed the abort: whatever step they belong to then fails,
/// and the target undoes its work. An undo's own commands run <see cref="Uninterruptible"/>: a Ctrl-C that reaches a
/// step's git before it reaches the runbook starts the undo before the abort, and the abort must not cut it short.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, bool> Running = new();
    private static readonly AsyncLocal<bool> InUndo = new();

    /// <summary>Cancelling <paramref name="abort"/> stops every child process running at that moment.</summary>
    public static CancellationTokenRegistration StopOn(CancellationToken abort) => abort.Register(StopAll);

    /// <summary>Counts the process as running until the result is disposed; a process of an undo is not counted.</summary>
    public static IDisposable Track(Process process)
    {
        if (InUndo.Value)
            return new Untrack(null);
        Running[process] = true;
        return new Untrack(process);
    }

    /// <summary>Runs an undo: the processes it starts are out of an abort's reach.</summary>
    public static void Uninterruptible(Action undo)
    {
        var outer = InUndo.Value;
        InUndo.Value = true;
        try
        {
            undo();
        }
        finally
        {
            InUndo.Value = outer;
        }
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

    private sealed class Untrack(Process? process) : IDisposable
    {
        public void Dispose()
        {
            if (process is not null)
                Running.TryRemove(process, out _);
        }
    }
}
