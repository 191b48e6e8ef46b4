namespace Orchestrator.Processes;

/// <summary>One process as /proc/PID/stat describes it; its start time tells it from a later process given the same pid.</summary>
internal sealed record ProcessEntry(int Pid, int Parent, long StartTicks)
{
    public bool IsAlive => ProcessTree.Read(Pid) is { } now && now.StartTicks == StartTicks;
}

/// <summary>A process and everything under it, read from /proc (Linux); elsewhere only the process itself is known.</summary>
internal static class ProcessTree
{
    /// <summary>The root and its descendants at this moment, the root first.</summary>
    public static IReadOnlyList<ProcessEntry> Of(int root)
    {
        if (Read(root) is not { } rootEntry)
            return [];
        var childrenOf = Directory.EnumerateDirectories("/proc")
            .Select(folder => int.TryParse(Path.GetFileName(folder), out var pid) ? Read(pid) : null)
            .OfType<ProcessEntry>()
            .ToLookup(p => p.Parent);
        var tree = new List<ProcessEntry> { rootEntry };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(childrenOf[tree[i].Pid].Where(child => tree.All(known => known.Pid != child.Pid)));
        return tree;
    }

    /// <summary>A live process (not a zombie), or null.</summary>
    public static ProcessEntry? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name in parentheses may hold spaces and parentheses; the fields follow the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && fields[0] is not ("Z" or "X" or "x") && int.TryParse(fields[1], out var parent) && long.TryParse(fields[19], out var start)
            ? new ProcessEntry(pid, parent, start)
            : null;
    }
}
