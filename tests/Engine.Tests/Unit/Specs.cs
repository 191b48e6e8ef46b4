using Engine.Agents.Config;
using Engine.Agents.Scheduling;

namespace Engine.Tests.Unit;

/// <summary>Agent specs for unit tests, written as briefly as agents.toml would.</summary>
internal static class Specs
{
    public static AgentSpec Agent(
        string name = "main",
        AgentKind kind = AgentKind.Persistent,
        Backend backend = Backend.Command,
        WatchMode watch = WatchMode.Heal,
        string? wake = null,
        string[]? command = null,
        string[]? args = null,
        string? prompt = null) =>
        new(name, kind, backend, command ?? ["sleep", "1000"], args ?? [], prompt, watch,
            wake is null ? null : WakeSchedule.TryParse(wake, TimeZoneInfo.Utc, out _),
            null, new Dictionary<string, string>(), null,
            new SourceLocation("agents.toml", 3, 1), new Dictionary<string, SourceLocation>());
}
