using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.State;
using Engine.Agents.Work.Cycle;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Scheduling;

/// <summary>
/// The watchdog's part in work cycles: with <c>interval</c> in [work], it starts a cycle (detached,
/// like a person running <c>agents cycle --scheduled</c>) once the interval has passed since the last
/// cycle began (or since the watchdog started, before any), unless one runs or the project is paused.
/// Between due times it costs nothing: the database is read only when a cycle may be due.
/// </summary>
internal sealed class ScheduledCycles(DateTimeOffset watchdogStarted)
{
    private DateTimeOffset? _due;

    /// <summary>A line for the watchdog's log when it started a cycle or skipped a due one; null otherwise.</summary>
    public string? Tick(Project project, DateTimeOffset now)
    {
        if (project.Config.Work?.Interval is not { } interval)
        {
            _due = null;
            return null;
        }
        if (_due is { } due && now < due)
            return null;

        var layout = new WorkLayout(project.Store.Layout);
        DateTimeOffset? lastStart = null;
        var paused = false;
        if (File.Exists(layout.Database))
        {
            using var store = WorkStore.Open(layout.Database);
            lastStart = store.LastCycleStart();
            paused = store.Control().Paused;
        }
        _due = (lastStart ?? watchdogStarted) + interval;
        if (now < _due)
            return null;

        _due = now + interval;
        if (paused)
            return "scheduled cycle skipped: the project is paused ('agents resume' ends it)";
        using (var held = FileLock.TryAcquire(layout.Lock))
            if (held is null)
                return "scheduled cycle skipped: a cycle is running";

        layout.Create();
        var spawn = WatchdogProcess.StartDetached(layout.ScheduledLog, ["cycle", "--scheduled", "--config", project.Config.ConfigPath]);
        return spawn.Succeeded
            ? $"started a scheduled cycle (every {Durations.Humanize(interval)}; its progress goes to {layout.ScheduledLog})"
            : $"could not start a scheduled cycle: {spawn.FirstErrorLine}";
    }
}
