using Engine.Agents.Config;
using Engine.Agents.State;

namespace Engine.Agents.Supervision;

internal enum WatchdogState { Running, Stale, Stopped }

/// <summary>
/// What <c>status</c> reports: what is seen now wins over what was recorded, so status is right even
/// between two watchdog cycles or with no watchdog at all.
/// </summary>
internal static class LiveState
{
    public static (AgentPhase State, DateTimeOffset? Since, int? Pid) OfAgent(AgentSpec spec, AgentRecord? record, PaneObservation seen)
    {
        if (seen is PaneObservation.Alive alive)
        {
            var since = record is { Phase: AgentPhase.Running } && record.Pid == alive.Pid ? record.Since : alive.StartedAt;
            return (AgentPhase.Running, since, alive.Pid);
        }
        if (record is null || !record.Wanted)
            return (AgentPhase.Stopped, record?.Since, null);
        if (seen is PaneObservation.Ending && record.Phase == AgentPhase.Running)
            return (AgentPhase.Running, record.Since, record.Pid);
        if (record.Phase is AgentPhase.Crashloop or AgentPhase.Stopped or AgentPhase.Dead)
            return (record.Phase, record.Since, null);

        // Recorded as running, gone now: the watchdog has not looked yet.
        var exited = seen as PaneObservation.Exited;
        var finished = spec.Kind == AgentKind.Oneshot && exited?.ExitCode == 0;
        return (finished ? AgentPhase.Stopped : AgentPhase.Dead, exited?.At ?? record.Since, null);
    }

    /// <summary>
    /// The state status prints: an agent that is stopped while processes it started live on (detached
    /// with setsid or nohup, say) is <c>orphaned</c>, never <c>stopped</c>.
    /// </summary>
    public static string Name(AgentPhase state, int leftovers) =>
        state == AgentPhase.Stopped && leftovers > 0 ? "orphaned" : state.ToString().ToLowerInvariant();

    /// <summary>Stale when the process lives but its heartbeat is older than two intervals.</summary>
    public static WatchdogState OfWatchdog(WatchdogHeartbeat? heartbeat, bool processAlive, DateTimeOffset now)
    {
        if (heartbeat is null || !processAlive)
            return WatchdogState.Stopped;
        var age = now - heartbeat.Heartbeat;
        return age > TimeSpan.FromSeconds(2 * heartbeat.IntervalSeconds) ? WatchdogState.Stale : WatchdogState.Running;
    }
}
