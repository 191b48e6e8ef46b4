using Engine.Agents.Config;
using Engine.Agents.State;

namespace Engine.Agents.Supervision;

internal enum SupervisorAction { None, Restart, StartByWake, TypeWake }

internal sealed record Decision(AgentRecord Record, SupervisorAction Action);

/// <summary>
/// The watchdog's judgement of one agent per cycle, free of effects: from what was last recorded and
/// what is seen now, the record to keep and the one thing to do.
/// </summary>
internal static class Supervisor
{
    public static Decision Decide(AgentSpec spec, AgentRecord record, PaneObservation seen, DateTimeOffset now, RestartPolicy policy)
    {
        // An ending process is judged at the next look, when tmux has its exit status: judged now, it would lose it.
        if (!record.Wanted || seen is PaneObservation.Foreign || (seen is PaneObservation.Ending && record.Phase == AgentPhase.Running))
            return new Decision(record, SupervisorAction.None);

        var scheduled = KeepWakeScheduled(spec, record, now);
        return seen is PaneObservation.Alive alive
            ? WhileAlive(spec, scheduled, alive, now, policy)
            : WhileDown(spec, scheduled, seen as PaneObservation.Exited, now, policy);
    }

    /// <summary>The record after the harness started the agent's process (or failed to).</summary>
    public static AgentRecord Started(AgentRecord record, int pid, long? pidStart, DateTimeOffset now, bool isRestart) =>
        record with
        {
            Phase = AgentPhase.Running,
            Since = now,
            Pid = pid,
            PidStart = pidStart,
            StartedAt = now,
            RestartAt = null,
            Restarts = isRestart ? record.Restarts + 1 : record.Restarts,
        };

    /// <summary>A start that failed counts as a fast crash, so an agent that cannot start ends in crashloop.</summary>
    public static AgentRecord StartFailed(AgentSpec spec, AgentRecord record, DateTimeOffset now, RestartPolicy policy) =>
        RecordDeath(spec, record with { StartedAt = now }, exited: null, now, policy);

    /// <summary>The record for an agent that <c>up</c> starts afresh: counters reset, first wake scheduled.</summary>
    public static AgentRecord Launched(AgentSpec spec, AgentRecord? previous, int pid, long? pidStart, DateTimeOffset now) =>
        (previous ?? AgentRecord.Fresh(spec.Name, now)) with
        {
            Wanted = true,
            Phase = AgentPhase.Running,
            Since = now,
            Pid = pid,
            PidStart = pidStart,
            StartedAt = now,
            Restarts = 0,
            FastCrashes = 0,
            RestartAt = null,
            LastExitCode = null,
            NextWake = spec.Wake?.Next(now),
        };

    /// <summary>The record for an agent that <c>up</c> found already running: kept, and wanted from now on.</summary>
    public static AgentRecord Adopted(AgentSpec spec, AgentRecord? previous, PaneObservation.Alive alive, DateTimeOffset now) =>
        AsRunning(KeepWakeScheduled(spec, (previous ?? AgentRecord.Fresh(spec.Name, now)) with { Wanted = true }, now), alive);

    public static AgentRecord Stopped(AgentRecord record, DateTimeOffset now) =>
        record with { Wanted = false, Phase = AgentPhase.Stopped, Since = now, Pid = null, PidStart = null, RestartAt = null };

    private static AgentRecord KeepWakeScheduled(AgentSpec spec, AgentRecord record, DateTimeOffset now) =>
        (spec.Wake, record.NextWake) switch
        {
            (null, not null) => record with { NextWake = null },
            (not null, null) => record with { NextWake = spec.Wake.Next(now) },
            _ => record,
        };

    private static Decision WhileAlive(AgentSpec spec, AgentRecord record, PaneObservation.Alive alive, DateTimeOffset now, RestartPolicy policy)
    {
        var r = AsRunning(record, alive);
        if (r.FastCrashes > 0 && !policy.IsFastCrash(now - (r.StartedAt ?? now)))
            r = r with { FastCrashes = 0 };

        if (!IsWakeDue(spec, r, now))
            return new Decision(r, SupervisorAction.None);
        r = r with { LastWake = now, NextWake = spec.Wake!.Next(now) };
        // A oneshot agent that is still running is not started twice; its wake is simply skipped.
        return new Decision(r, spec.Kind == AgentKind.Persistent ? SupervisorAction.TypeWake : SupervisorAction.None);
    }

    private static AgentRecord AsRunning(AgentRecord record, PaneObservation.Alive alive) =>
        record.Phase == AgentPhase.Running && record.Pid == alive.Pid
            ? record
            : record with
            {
                Phase = AgentPhase.Running,
                Since = alive.StartedAt,
                Pid = alive.Pid,
                PidStart = alive.PidStart,
                StartedAt = alive.StartedAt,
                RestartAt = null,
            };

    private static Decision WhileDown(AgentSpec spec, AgentRecord record, PaneObservation.Exited? exited, DateTimeOffset now, RestartPolicy policy)
    {
        var r = record.Phase == AgentPhase.Running ? RecordDeath(spec, record, exited, now, policy) : record;

        if (r.Phase == AgentPhase.Dead && spec.Watch == WatchMode.Heal && r.RestartAt is { } at && at <= now)
            return new Decision(r, SupervisorAction.Restart);

        if (!IsWakeDue(spec, r, now))
            return new Decision(r, SupervisorAction.None);
        r = r with { LastWake = now, NextWake = spec.Wake!.Next(now) };
        var starts = spec.Kind == AgentKind.Oneshot && r.Phase != AgentPhase.Crashloop;
        return new Decision(r, starts ? SupervisorAction.StartByWake : SupervisorAction.None);
    }

    private static AgentRecord RecordDeath(AgentSpec spec, AgentRecord record, PaneObservation.Exited? exited, DateTimeOffset now, RestartPolicy policy)
    {
        var died = record with
        {
            Pid = null,
            PidStart = null,
            LastExitCode = exited?.ExitCode,
            Since = exited?.At ?? now,
            RestartAt = null,
        };
        if (spec.Kind == AgentKind.Oneshot && exited?.ExitCode == 0)
            return died with { Phase = AgentPhase.Stopped, FastCrashes = 0 };
        if (spec.Watch == WatchMode.None)
            return died with { Phase = AgentPhase.Dead };

        var uptime = now - (record.StartedAt ?? now);
        var inARow = policy.IsFastCrash(uptime) ? record.FastCrashes + 1 : 1;
        if (inARow >= policy.CrashloopAfter)
            return died with { Phase = AgentPhase.Crashloop, FastCrashes = inARow };
        return died with { Phase = AgentPhase.Dead, FastCrashes = inARow, RestartAt = now + policy.DelayBefore(inARow) };
    }

    private static bool IsWakeDue(AgentSpec spec, AgentRecord record, DateTimeOffset now) =>
        spec.Wake is not null && record.NextWake is { } due && due <= now;
}
