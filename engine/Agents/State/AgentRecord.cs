using System.Text.Json.Serialization;

namespace Engine.Agents.State;

[JsonConverter(typeof(JsonStringEnumConverter<AgentPhase>))]
internal enum AgentPhase
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("stopped")] Stopped,
    [JsonStringEnumMemberName("dead")] Dead,
    [JsonStringEnumMemberName("crashloop")] Crashloop,
}

/// <summary>
/// What the harness knows of one agent, kept in <c>.ao-state/agents/NAME.json</c> so that a new
/// watchdog, <c>status</c> and <c>down</c> pick up where the last one left off.
/// </summary>
internal sealed record AgentRecord
{
    public required string Name { get; init; }

    /// <summary>Started by <c>up</c> and not stopped by <c>down</c>: the watchdog looks after it.</summary>
    public bool Wanted { get; init; }

    public AgentPhase Phase { get; init; } = AgentPhase.Stopped;
    public DateTimeOffset Since { get; init; }
    public int? Pid { get; init; }

    /// <summary>The process's start time in clock ticks since boot: a pid alone may be reused.</summary>
    public long? PidStart { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
    public int Restarts { get; init; }

    /// <summary>Crashes in a row, each soon after its start; reset once the agent stays up.</summary>
    public int FastCrashes { get; init; }

    public DateTimeOffset? RestartAt { get; init; }
    public int? LastExitCode { get; init; }
    public DateTimeOffset? LastWake { get; init; }
    public DateTimeOffset? NextWake { get; init; }

    public static AgentRecord Fresh(string name, DateTimeOffset now) => new() { Name = name, Since = now };
}
