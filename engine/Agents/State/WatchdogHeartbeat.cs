namespace Engine.Agents.State;

/// <summary>Written by the watchdog every cycle to <c>.ao-state/watchdog.json</c>.</summary>
internal sealed record WatchdogHeartbeat(
    int Pid,
    long PidStart,
    DateTimeOffset StartedAt,
    DateTimeOffset Heartbeat,
    double IntervalSeconds);
