using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Processes;

/// <summary>
/// The child processes running now (git, a harness), so that an abort stops all of them, and everything they started,
/// at once: whatever step they belong to then fails, and the target undoes its work. Children started after the abort
/// (the undo's own git commands) run to their end.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, bool> Running = new();

    /// <summary>From now until the registration is disposed, cancelling <paramref name="abort"/> stops every running child.</summary>
    public static CancellationTokenRegistration StopOn(CancellationToken abort) =>
        // Not on the thread that cancels (the signal handler's): stopping takes up to a grace period.
        abort.Register(() => Task.Run(StopAll));

    public static void Started(Process process) => Running[process] = true;

    public static void Ended(Process process) => Running.TryRemove(process, out _);

    private static void StopAll() => Parallel.ForEach(Running.Keys, process =>
    {
        try
        {
            ProcessTree.Stop(process);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    });
}
