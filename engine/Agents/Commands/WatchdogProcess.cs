using Engine.Agents.Processes;
using Engine.Agents.State;
using Engine.Agents.Supervision;

namespace Engine.Agents.Commands;

/// <summary>Finds, starts and stops a project's watchdog process.</summary>
internal static class WatchdogProcess
{
    // setsid detaches the watchdog from the caller's session and terminal; this fixed script takes the
    // log file and the command from its arguments.
    private const string Detach = "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";

    // Tiered compilation recompiles hot code in the background for minutes after start, which is
    // most of an idle watchdog's CPU; compiling each method once, fully optimised, costs less.
    private static readonly Dictionary<string, string> LongRunning = new() { ["DOTNET_TieredCompilation"] = "0" };

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

    public static (WatchdogState State, WatchdogHeartbeat? Heartbeat) Inspect(StateStore store, DateTimeOffset now)
    {
        var heartbeat = store.ReadHeartbeat();
        var alive = heartbeat is not null && ProcessTable.IsAlive(heartbeat.Pid, heartbeat.PidStart);
        return (LiveState.OfWatchdog(heartbeat, alive, now), heartbeat);
    }

    /// <summary>
    /// Kills a watchdog that is alive but no longer beating (hung), before <c>up</c> waits on locks it
    /// may hold; returns a note for the user, or null when there was none.
    /// </summary>
    public static string? RetireIfStale(StateStore store)
    {
        var (state, heartbeat) = Inspect(store, DateTimeOffset.UtcNow);
        if (state != WatchdogState.Stale)
            return null;
        Stop(heartbeat!, force: true);
        return $"replacing a stale one (pid {heartbeat!.Pid})";
    }

    /// <summary>Keeps a live watchdog of this engine build, or starts one; returns a line for the user.</summary>
    public static string Ensure(Project project, string? note = null)
    {
        var store = project.Store;
        var self = Environment.ProcessPath ?? throw new CommandFailedException("cannot tell where the engine program is to start the watchdog");
        var (state, heartbeat) = Inspect(store, DateTimeOffset.UtcNow);
        if (state == WatchdogState.Running)
        {
            if (heartbeat!.Program == self)
                return $"watchdog: running (pid {heartbeat.Pid}), kept";
            // The engine was updated since: the agents stay, the watchdog moves to the new build.
            Stop(heartbeat);
            note = $"replacing one of another engine build (pid {heartbeat.Pid})";
        }
        else if (state == WatchdogState.Stale)
            note = RetireIfStale(store);

        store.Layout.Create();
        var spawn = StartDetached(store.Layout.WatchdogLog, ["_watchdog", "--config", project.Config.ConfigPath], LongRunning);
        if (!spawn.Succeeded)
            throw new CommandFailedException($"could not start the watchdog: {spawn.FirstErrorLine}");

        var deadline = DateTime.UtcNow + StartPatience;
        while (DateTime.UtcNow < deadline)
        {
            var (now, beat) = Inspect(store, DateTimeOffset.UtcNow);
            if (now == WatchdogState.Running && beat!.Pid != heartbeat?.Pid)
                return $"watchdog: started (pid {beat.Pid})" + (note is null ? "" : ", " + note);
            Thread.Sleep(50);
        }
        throw new CommandFailedException($"the watchdog did not start within {StartPatience.TotalSeconds:0} s; see {store.Layout.WatchdogLog}");
    }

    /// <summary>
    /// Starts this engine with <paramref name="arguments"/> in a session of its own (it outlives the
    /// caller), its output appended to <paramref name="log"/>.
    /// </summary>
    public static ExecResult StartDetached(string log, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var self = Environment.ProcessPath ?? throw new CommandFailedException("cannot tell where the engine program is to start it again");
        List<string> command = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Environment.GetCommandLineArgs()[0]] // the assembly the dotnet host runs; a native build has no assembly file
            : [self];
        return Exec.Run("setsid", ["-f", "sh", "-c", Detach, "sh", log, .. command, .. arguments], environment: environment);
    }

    /// <summary>Asks the watchdog to stop (SIGTERM), and kills it if it has not within a few seconds.</summary>
    public static void Stop(WatchdogHeartbeat heartbeat, bool force = false)
    {
        if (!force)
        {
            ProcessTable.Terminate(heartbeat.Pid);
            if (WaitForExit(heartbeat, StopPatience))
                return;
        }
        ProcessTable.ForceKill(heartbeat.Pid);
        if (!WaitForExit(heartbeat, StopPatience))
            throw new CommandFailedException($"the watchdog (pid {heartbeat.Pid}) did not stop; end it with 'kill -9 {heartbeat.Pid}'");
    }

    private static bool WaitForExit(WatchdogHeartbeat heartbeat, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (ProcessTable.IsAlive(heartbeat.Pid, heartbeat.PidStart))
        {
            if (DateTime.UtcNow >= deadline)
                return false;
            Thread.Sleep(25);
        }
        return true;
    }
}
