namespace Engine.Agents.State;

/// <summary>
/// Written by the watchdog every cycle to <c>.ao-state/watchdog.json</c>. <see cref="Program"/> is the
/// engine build it runs, so <c>up</c> can tell a watchdog left over from an older engine.
/// </summary>
internal sealed record WatchdogHeartbeat(
    int Pid,
    long PidStart,
    DateTimeOffset StartedAt,
    DateTimeOffset Heartbeat,
    double IntervalSeconds,
    string Program);
