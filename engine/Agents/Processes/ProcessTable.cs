using System.Runtime.InteropServices;
using System.Text;

namespace Engine.Agents.Processes;

/// <summary>Liveness and identity of processes, read from /proc; signals through libc.</summary>
internal static class ProcessTable
{
    private const int SigTerm = 15, SigKill = 9, SigCont = 18, ScClockTicks = 2;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a process has to vanish after SIGKILL before it counts as a survivor.</summary>
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(2);

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

    /// <summary>
    /// The live processes, other than this one, whose environment holds <paramref name="name"/>=<paramref name="value"/>:
    /// a marker variable set where a process tree starts is inherited by everything in it, through
    /// <c>setsid</c>, <c>nohup</c> and double forks alike. Read from /proc/PID/environ, which is the
    /// environment a process was started with; processes of other users are not readable and not found.
    /// </summary>
    public static IReadOnlyList<int> FindByEnvironment(string name, string value) =>
        [.. ProcessesWith(name).Where(process => process.Value == value).Select(process => process.Key)];

    /// <summary>Every live process, other than this one, with <paramref name="name"/> in its environment, and its value.</summary>
    public static IReadOnlyDictionary<int, string> ProcessesWith(string name)
    {
        var wanted = Encoding.UTF8.GetBytes(name + "=");
        var self = Environment.ProcessId;
        var found = new Dictionary<int, string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self)
                continue;
            // A zombie's environ reads empty, so only live processes match.
            if (ReadEnvironment(pid) is { } environment && Variable(environment, wanted) is { } value)
                found[pid] = value;
        }
        return found;
    }

    /// <summary>The value of one variable in a process's starting environment, or null.</summary>
    public static string? EnvironmentVariable(int pid, string name) =>
        ReadEnvironment(pid) is { } environment ? Variable(environment, Encoding.UTF8.GetBytes(name + "=")) : null;

    /// <summary>
    /// Ends the processes: SIGTERM (with SIGCONT, so a stopped one gets it), up to
    /// <paramref name="grace"/> for them to exit, then SIGKILL for the rest. A pid is signalled only
    /// while it is the process it was when the stop began, never one reused since. Returns the pids
    /// still alive at the end (a process stuck in the kernel, or not this user's).
    /// </summary>
    public static IReadOnlyList<int> Stop(IReadOnlyCollection<int> pids, TimeSpan grace)
    {
        var targets = pids.Distinct()
            .Select(pid => (Pid: pid, Start: StartTicksIfAlive(pid)))
            .Where(target => target.Start is not null)
            .ToList();
        foreach (var (pid, _) in targets)
        {
            Kill(pid, SigTerm);
            Kill(pid, SigCont);
        }
        var alive = WaitForExit(targets, grace);
        foreach (var (pid, _) in alive)
            Kill(pid, SigKill);
        return [.. WaitForExit(alive, AfterKill).Select(target => target.Pid)];
    }

    /// <summary>
    /// Ends every process carrying the marker, including those its processes fork while being stopped:
    /// find, stop, and look again until none is left or only the survivors of a stop remain.
    /// Returns how many processes it ended and the pids that would not end.
    /// </summary>
    public static (int Ended, IReadOnlyList<int> Survivors) StopByEnvironment(string name, string value, TimeSpan grace) =>
        StopAll(() => FindByEnvironment(name, value), grace);

    /// <summary>Ends every process <paramref name="find"/> lists, looking again (at most 5 times) for those forked meanwhile.</summary>
    public static (int Ended, IReadOnlyList<int> Survivors) StopAll(Func<IReadOnlyList<int>> find, TimeSpan grace)
    {
        var ended = new HashSet<int>();
        IReadOnlyList<int> survivors = [];
        for (var round = 0; round < 5; round++)
        {
            var found = find();
            if (found.Count == 0 || found.All(survivors.Contains))
                return (ended.Count, found);
            survivors = Stop(found, grace);
            ended.UnionWith(found.Except(survivors));
        }
        return (ended.Count, find());
    }

    public static void Terminate(int pid) => Kill(pid, SigTerm);

    public static void ForceKill(int pid) => Kill(pid, SigKill);

    private static List<(int Pid, long? Start)> WaitForExit(List<(int Pid, long? Start)> targets, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var alive = targets;
        while (true)
        {
            alive = alive.Where(target => IsAlive(target.Pid, target.Start)).ToList();
            if (alive.Count == 0 || DateTime.UtcNow >= deadline)
                return alive;
            Thread.Sleep(Poll);
        }
    }

    private static byte[]? ReadEnvironment(int pid)
    {
        try
        {
            return File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone since the listing, or another user's.
            return null;
        }
    }

    /// <summary>The value after <paramref name="prefix"/> ("NAME=") in a NUL-separated environment block.</summary>
    private static string? Variable(byte[] environment, byte[] prefix)
    {
        var block = environment.AsSpan();
        while (block.Length > 0)
        {
            var end = block.IndexOf((byte)0);
            var entry = end < 0 ? block : block[..end];
            if (entry.StartsWith(prefix))
                return Encoding.UTF8.GetString(entry[prefix.Length..]);
            block = end < 0 ? [] : block[(end + 1)..];
        }
        return null;
    }

    private static DateTimeOffset ReadBootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
            if (line.StartsWith("btime ", StringComparison.Ordinal))
                return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..]));
        throw new InvalidOperationException("/proc/stat has no btime line");
    }
}
