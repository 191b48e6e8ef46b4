using Engine.Agents.Processes;
using Engine.Agents.Tmux;

namespace Engine.Agents.Supervision;

/// <summary>Turns one tmux listing plus /proc into an observation per agent session.</summary>
internal static class Observer
{
    public static PaneObservation Observe(IReadOnlyList<TmuxPane> panes, string session, string owner) =>
        Observe(panes, session, owner, ProcessTable.StartTicksIfAlive, ProcessTable.StartTime);

    /// <summary>
    /// tmux may still count a pane as live while its process is a zombie or already gone, so a live
    /// pane counts only when /proc shows its process running.
    /// </summary>
    public static PaneObservation Observe(IReadOnlyList<TmuxPane> panes, string session, string owner,
        Func<int, long?> startTicksIfAlive, Func<long, DateTimeOffset> startTime)
    {
        var pane = panes.FirstOrDefault(p => p.Session == session);
        if (pane is null)
            return PaneObservation.None;
        if (pane.Owner != owner)
            return new PaneObservation.Foreign(pane.Owner);
        if (pane.Dead)
            return new PaneObservation.Exited(pane.DeadStatus, pane.DeadAt);
        return startTicksIfAlive(pane.Pid) is { } ticks
            ? new PaneObservation.Alive(pane.Pid, ticks, startTime(ticks))
            : new PaneObservation.Ending();
    }
}
