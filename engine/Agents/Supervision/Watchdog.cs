using System.Runtime.InteropServices;
using Engine.Agents.Config;
using Engine.Agents.Processes;
using Engine.Agents.State;
using Engine.Agents.Tmux;
using Engine.Agents.Work.Scheduling;

namespace Engine.Agents.Supervision;

/// <summary>
/// The long-running process that keeps one project's agents alive: every interval one tmux listing,
/// /proc checks, the supervisor's decisions carried out, state and heartbeat written.
/// </summary>
internal sealed class Watchdog
{
    private const long MaxLogBytes = 10 * 1024 * 1024;

    private readonly string _configPath;
    private Project _project;
    private DateTime _configWrittenAt;
    private readonly ManualResetEventSlim _stop = new();

    /// <summary>
    /// Whether agents an older engine started may still run on the default tmux server. Only an older
    /// engine puts them there, so once a cycle finds none the watchdog stops asking that server.
    /// </summary>
    private bool _onDefaultServer = true;

    public Watchdog(Project project)
    {
        _project = project;
        _configPath = project.Config.ConfigPath;
        _configWrittenAt = File.GetLastWriteTimeUtc(_configPath);
    }

    private StateStore Store => _project.Store;

    public int Run()
    {
        // Set only to tune this process (see WatchdogProcess); agents started from here must not inherit it.
        Environment.SetEnvironmentVariable("DOTNET_TieredCompilation", null);
        Store.Layout.Create();
        using var single = FileLock.TryAcquire(Store.Layout.WatchdogLock);
        if (single is null)
        {
            Log("another watchdog holds the lock; this one exits");
            return 0;
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);

        var pid = Environment.ProcessId;
        var pidStart = ProcessTable.StartTicksIfAlive(pid) ?? 0;
        var startedAt = DateTimeOffset.UtcNow;
        var scheduled = new ScheduledCycles(startedAt);
        Log($"started (pid {pid}, every {_project.Config.WatchdogInterval.TotalSeconds:0.###}s)");
        try
        {
            do
            {
                // Nothing that goes wrong in one cycle (a full disk, a vanished file) may end the
                // watchdog: it is logged, and the next cycle tries again.
                try
                {
                    Cycle();
                    if (scheduled.Tick(_project, DateTimeOffset.UtcNow) is { } note)
                        Log(note);
                    Store.WriteHeartbeat(new WatchdogHeartbeat(pid, pidStart, startedAt, DateTimeOffset.UtcNow,
                        _project.Config.WatchdogInterval.TotalSeconds, Environment.ProcessPath ?? ""));
                }
                catch (Exception e)
                {
                    Log($"cycle failed: {e.GetType().Name}: {e.Message}");
                }
            }
            while (!_stop.Wait(_project.Config.WatchdogInterval));
        }
        finally
        {
            Store.DeleteHeartbeat();
            Log("stopped");
        }
        return 0;
    }

    private void StopGracefully(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Set();
    }

    private void Cycle()
    {
        ReloadConfigIfChanged();
        // Waiting at most half an interval keeps the heartbeat fresh while up or down is at work;
        // the next cycle looks again.
        var patience = TimeSpan.FromTicks(Math.Min(_project.Config.WatchdogInterval.Ticks / 2, TimeSpan.TicksPerSecond * 2));
        using var control = FileLock.Acquire(Store.Layout.ControlLock, patience);
        if (control is null)
            return;

        IReadOnlyList<TmuxPane> panes;
        try
        {
            panes = _onDefaultServer ? _project.ListPanes() : _project.Tmux.ListPanes();
            _onDefaultServer = panes.Any(pane => pane.Socket != _project.Tmux.Socket);
        }
        catch (TmuxException e)
        {
            Log(e.Message);
            return;
        }

        var policy = RestartPolicy.For(_project.Config.WatchdogInterval);
        foreach (var agent in _project.Config.Agents)
        {
            var record = Store.ReadAgent(agent.Name);
            if (record is null)
                continue;
            var now = DateTimeOffset.UtcNow;
            var decision = Supervisor.Decide(agent, record, _project.Observe(panes, agent), now, policy);
            var next = Carry(agent, decision, panes, now, policy);
            if (next != record)
            {
                Store.WriteAgent(next);
                if (next.Phase != record.Phase)
                    Log(Transition(agent, record, next));
            }
        }
        RotateLogs();
    }

    private AgentRecord Carry(AgentSpec agent, Decision decision, IReadOnlyList<TmuxPane> panes, DateTimeOffset now, RestartPolicy policy)
    {
        var session = _project.Config.SessionName(agent);
        try
        {
            switch (decision.Action)
            {
                case SupervisorAction.Restart or SupervisorAction.StartByWake:
                    var pid = _project.Run(panes, agent);
                    var restart = decision.Action == SupervisorAction.Restart;
                    Log(restart
                        ? $"{agent.Name}: restarted after {ExitOf(decision.Record)} (pid {pid}, restart {decision.Record.Restarts + 1})"
                        : $"{agent.Name}: started by its wake (pid {pid})");
                    return Supervisor.Started(decision.Record, pid, ProcessTable.StartTicksIfAlive(pid), now, restart);

                case SupervisorAction.TypeWake:
                    _project.ServerOf(panes, session).Type(session, File.ReadAllText(_project.Config.Resolve(agent.WakePrompt ?? agent.Prompt!)).TrimEnd());
                    Log($"{agent.Name}: woken");
                    return decision.Record;

                default:
                    return decision.Record;
            }
        }
        catch (Exception e) when (e is TmuxException or IOException)
        {
            Log($"{agent.Name}: {e.Message}");
            return decision.Action == SupervisorAction.TypeWake
                ? decision.Record
                : Supervisor.StartFailed(agent, decision.Record, now, policy);
        }
    }

    private static string ExitOf(AgentRecord record) => record.LastExitCode is { } code ? $"exit {code}" : "its process vanished";

    private static string Transition(AgentSpec agent, AgentRecord before, AgentRecord after)
    {
        var exit = ExitOf(after);
        return after.Phase switch
        {
            AgentPhase.Dead when agent.Watch == WatchMode.Heal && after.RestartAt is { } at =>
                $"{agent.Name}: died ({exit}), restarting in {Durations.Humanize(at - DateTimeOffset.UtcNow)}",
            AgentPhase.Dead => $"{agent.Name}: died ({exit}), not restarted (watch = \"none\")",
            AgentPhase.Crashloop =>
                $"{agent.Name}: crashloop after {after.FastCrashes} fast crashes ({exit}); no more restarts until 'agents up {agent.Name}'",
            AgentPhase.Stopped when before.Phase == AgentPhase.Running => $"{agent.Name}: finished ({exit})",
            _ => $"{agent.Name}: {before.Phase.ToString().ToLowerInvariant()} -> {after.Phase.ToString().ToLowerInvariant()}",
        };
    }

    /// <summary>
    /// Agents run for days: past 10 MiB a log is copied to NAME.log.1 and emptied in place, which the
    /// appending writer (tmux's pipe) carries on into.
    /// </summary>
    private void RotateLogs()
    {
        foreach (var agent in _project.Config.Agents)
        {
            var log = Store.Layout.LogFile(agent.Name);
            var info = new FileInfo(log);
            if (!info.Exists || info.Length <= MaxLogBytes)
                continue;
            File.Copy(log, log + ".1", overwrite: true);
            using var truncate = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            truncate.SetLength(0);
            Log($"{agent.Name}: log rotated to {Path.GetFileName(log)}.1");
        }
    }

    /// <summary>An edited agents.toml applies from the next cycle; a broken one is reported and ignored.</summary>
    private void ReloadConfigIfChanged()
    {
        var writtenAt = File.GetLastWriteTimeUtc(_configPath);
        if (writtenAt == _configWrittenAt)
            return;
        _configWrittenAt = writtenAt;
        try
        {
            _project = Project.Load(_configPath);
            Log($"reloaded {_project.Config.DisplayPath}");
        }
        catch (ConfigException e)
        {
            Log($"{e.Message} (keeping the previous configuration)");
        }
    }

    private static void Log(string message) =>
        Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {message}");
}
