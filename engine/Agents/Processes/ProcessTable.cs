using System.Runtime.InteropServices;

namespace Engine.Agents.Processes;

/// <summary>Liveness and identity of processes, read from /proc; signals through libc.</summary>
internal static class ProcessTable
{
    private const int SigTerm = 15, SigKill = 9, ScClockTicks = 2;

    private static readonly Lazy<DateTimeOffset> BootTime = new(ReadBootTime);
    private static readonly Lazy<long> ClockTicksPerSecond = new(() => Math.Max(1, SysConf(ScClockTicks)));

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);

    /// <summary>The start time (clock ticks since boot) of a live process; null if gone or a zombie.</summary>
    public static long? StartTicksIfAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name in parentheses may itself hold spaces and parentheses; fields follow the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var state = fields[0];
        if (state is "Z" or "X" or "x")
            return null;
        return long.Parse(fields[19]);
    }

    public static bool IsAlive(int pid, long? expectedStart)
    {
        var start = StartTicksIfAlive(pid);
        return start is not null && (expectedStart is null || start == expectedStart);
    }

    public static DateTimeOffset StartTime(long startTicks) =>
        BootTime.Value + TimeSpan.FromSeconds((double)startTicks / ClockTicksPerSecond.Value);

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static void Terminate(int pid) => Kill(pid, SigTerm);

    /// <summary>
    /// Live processes of this user whose environment holds <paramref name="name"/>=<paramref name="value"/>.
    /// A marker variable set when a process is started is inherited by everything it starts, even
    /// children that left its process group or session (setsid, nohup): this finds a whole tree.
    /// </summary>
    public static IReadOnlyList<int> FindByEnvironment(string name, string value)
    {
        var entry = System.Text.Encoding.UTF8.GetBytes($"{name}={value}\0");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
                continue;
            byte[] environment;
            try
            {
                environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (HasEntry(environment, entry) && StartTicksIfAlive(pid) is not null)
                found.Add(pid);
        }
        return found;
    }

    /// <summary>
    /// Stops processes: SIGTERM to all, then SIGKILL to those still alive after <paramref name="grace"/>.
    /// Returns once every one is gone (or at most a few seconds after the kill).
    /// </summary>
    public static void Stop(IReadOnlyCollection<int> pids, TimeSpan grace)
    {
        var starts = pids.Select(pid => (pid, start: StartTicksIfAlive(pid))).Where(p => p.start is not null).ToList();
        foreach (var (pid, _) in starts)
            Terminate(pid);
        if (WaitUntilGone(starts, grace))
            return;
        foreach (var (pid, start) in starts)
            if (IsAlive(pid, start))
                ForceKill(pid);
        WaitUntilGone(starts, TimeSpan.FromSeconds(5));
    }

    private static bool WaitUntilGone(IReadOnlyList<(int Pid, long? Start)> processes, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (processes.Any(p => IsAlive(p.Pid, p.Start)))
        {
            if (DateTime.UtcNow >= deadline)
                return false;
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>Whether the NUL-separated environment holds the entry (which ends in NUL), at its start or after a NUL.</summary>
    private static bool HasEntry(ReadOnlySpan<byte> environment, ReadOnlySpan<byte> entry)
    {
        for (var at = environment.IndexOf(entry); at >= 0;)
        {
            if (at == 0 || environment[at - 1] == 0)
                return true;
            var next = environment[(at + 1)..].IndexOf(entry);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    public static void ForceKill(int pid) => Kill(pid, SigKill);

    private static DateTimeOffset ReadBootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
            if (line.StartsWith("btime ", StringComparison.Ordinal))
                return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..]));
        throw new InvalidOperationException("/proc/stat has no btime line");
    }
}
