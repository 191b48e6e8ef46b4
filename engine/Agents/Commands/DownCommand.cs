using Engine.Agents.Cli;
using Engine.Agents.Supervision;

namespace Engine.Agents.Commands;

/// <summary>
/// <c>down [AGENT...]</c>: stops the named agents, or the watchdog and then every agent when none are
/// named. Only sessions marked as this project's are ended.
/// </summary>
internal static class DownCommand
{
    public static int Run(Invocation invocation)
    {
        var project = Project.Load(invocation);
        var agents = project.Select(invocation.Operands);
        var everything = invocation.Operands.Count == 0;

        // The watchdog goes first, so it cannot heal agents while they are being stopped.
        if (everything)
        {
            var (state, heartbeat) = WatchdogProcess.Inspect(project.Store, DateTimeOffset.UtcNow);
            if (state == WatchdogState.Stopped)
                Console.WriteLine("watchdog: not running");
            else
            {
                WatchdogProcess.Stop(heartbeat!);
                Console.WriteLine($"watchdog: stopped (pid {heartbeat!.Pid})");
            }
        }

        using (project.LockControl())
        {
            var panes = project.Tmux.ListPanes();
            foreach (var agent in agents)
            {
                var seen = project.Observe(panes, agent);
                var session = project.Config.SessionName(agent);
                if (seen is PaneObservation.Foreign)
                {
                    Console.WriteLine($"{agent.Name}: session {session} is not this project's; left alone");
                    continue;
                }
                if (seen is not PaneObservation.Absent)
                    project.Tmux.Kill(session);
                var record = project.Store.ReadAgent(agent.Name);
                if (record is not null)
                    project.Store.WriteAgent(Supervisor.Stopped(record, DateTimeOffset.UtcNow));
                Console.WriteLine(seen switch
                {
                    PaneObservation.Alive => $"{agent.Name}: stopped",
                    PaneObservation.Exited => $"{agent.Name}: was not running; its session {session} is closed",
                    _ => $"{agent.Name}: not running",
                });
            }

            if (everything)
                StopLeftovers(project, panes);
        }
        return 0;
    }

    /// <summary>Sessions this project started for agents since removed from its config.</summary>
    private static void StopLeftovers(Project project, IReadOnlyList<Tmux.TmuxPane> panes)
    {
        var configured = project.Config.Agents.Select(project.Config.SessionName).ToHashSet();
        foreach (var pane in panes.Where(p => p.Owner == project.Owner && !configured.Contains(p.Session)))
        {
            project.Tmux.Kill(pane.Session);
            Console.WriteLine($"{pane.Session}: stopped (no longer in {project.Config.DisplayPath})");
        }
    }
}
