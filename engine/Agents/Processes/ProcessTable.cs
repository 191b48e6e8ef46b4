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

    public static void ForceKill(int pid) => Kill(pid, SigKill);

    private static DateTimeOffset ReadBootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
            if (line.StartsWith("btime ", StringComparison.Ordinal))
                return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..]));
        throw new InvalidOperationException("/proc/stat has no btime line");
    }
}
