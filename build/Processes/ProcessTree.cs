using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Orchestrator.Processes;

/// <summary>
/// Stops a child process and everything it started: SIGTERM to the whole tree first, so git can remove its lock files
/// as it does on Ctrl-C, then SIGKILL to whatever is still alive after a grace period. The tree is read from /proc.
/// </summary>
internal static class ProcessTree
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static void Stop(Process root)
    {
        // Once reaped, its id may already be another process's.
        if (root.HasExited)
            return;
        if (OperatingSystem.IsWindows())
        {
            root.Kill(entireProcessTree: true);
            return;
        }
        if (!Directory.Exists("/proc"))
        {
            // No process table to read (macOS): the root is asked first, then the runtime ends what is left of the tree.
            Signal(root.Id, SigTerm);
            if (!root.WaitForExit(Grace))
                root.Kill(entireProcessTree: true);
            return;
        }
        // The tree is taken before any signal: a process whose parent dies is adopted elsewhere and no longer found by it.
        var tree = Descendants(root.Id).Prepend(root.Id).ToList();
        foreach (var pid in tree)
            Signal(pid, SigTerm);
        var deadline = Stopwatch.StartNew();
        while (tree.Any(IsAlive) && deadline.Elapsed < Grace)
            Thread.Sleep(20);
        foreach (var pid in tree.Where(IsAlive))
            Signal(pid, SigKill);
        root.WaitForExit(Grace);
    }

    /// <summary>Every process below <paramref name="pid"/>, from the parent ids in /proc.</summary>
    private static IEnumerable<int> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(folder), out var child) && ParentOf(child) is { } parent)
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(child);
        var found = new List<int>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var next))
            foreach (var child in children.GetValueOrDefault(next) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child);
            }
        return found;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // "pid (command) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null; // gone meanwhile, or not ours to read
        }
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static void Signal(int pid, int signal) => _ = kill(pid, signal);

    // Blittable arguments only, so the call needs no marshalling code and is safe for Native AOT.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int kill(int pid, int signal);
}
