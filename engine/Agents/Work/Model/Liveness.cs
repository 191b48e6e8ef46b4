namespace Engine.Agents.Work.Model;

internal enum Liveness { Running, Stale, Stopped }

/// <summary>How long a silence may last before a heartbeat counts as stale, then as stopped.</summary>
internal sealed record HeartbeatThresholds(TimeSpan StaleAfter, TimeSpan StoppedAfter)
{
    public static readonly HeartbeatThresholds Default = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));

    /// <summary>
    /// Running while the last event is recent, stale after a long silence, stopped after a very long
    /// one or as soon as no process is left. Only a report: silence alone never stops anything.
    /// </summary>
    public Liveness Classify(DateTimeOffset? lastEvent, bool processAlive, DateTimeOffset now)
    {
        if (!processAlive || lastEvent is not { } at)
            return Liveness.Stopped;
        var silence = now - at;
        return silence >= StoppedAfter ? Liveness.Stopped : silence >= StaleAfter ? Liveness.Stale : Liveness.Running;
    }
}

internal static class LivenessNames
{
    public static string Name(this Liveness liveness) => liveness switch
    {
        Liveness.Running => "running",
        Liveness.Stale => "stale",
        _ => "stopped",
    };
}
