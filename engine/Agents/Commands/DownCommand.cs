using Engine.Agents.Cli;
using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.Processes;
using Engine.Agents.State;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;

namespace Engine.Agents.Commands;

/// <summary>
/// <c>down [AGENT...]</c>: stops the named agents, or the watchdog and then every agent when none are
/// named: their sessions, then every process they started, found by their marks. Only sessions marked
/// as this project's are ended.
/// </summary>
internal static class DownCommand
{
    /// <summary>How long processes that outlived their agent's session get to end on SIGTERM before SIGKILL.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static int Run(Invocation invocation)
    {
        var everything = invocation.Operands.Count == 0;
        Project project;
        try
        {
            project = Project.Load(invocation);
        }
        catch (ConfigException e) when (everything)
        {
            // A broken or deleted agents.toml must not leave a project's agents unstoppable: what it
            // started is known by the owner mark on its sessions and by its state files.
            Console.Error.WriteLine($"{e.Message} (stopping everything this project started anyway)");
            return StopAllWithoutConfig(invocation.ConfigPath);
        }
        var agents = project.Select(invocation.Operands);

        // The watchdog goes first, so it cannot heal agents while they are being stopped.
        if (everything)
            StopWatchdog(project.Store);

        using (project.LockControl())
        {
            var panes = project.ListPanes();
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
                    project.ServerOf(panes, session).Kill(session);
                MarkStopped(project.Store, agent.Name);
                Console.WriteLine(seen switch
                {
                    PaneObservation.Alive => $"{agent.Name}: stopped",
                    PaneObservation.Exited or PaneObservation.Ending => $"{agent.Name}: was not running; its session {session} is closed",
                    _ => $"{agent.Name}: not running",
                });
            }

            // Sessions this project started for agents since removed from its config.
            if (everything)
            {
                var configured = project.Config.Agents.Select(project.Config.SessionName).ToHashSet();
                StopOwnedSessions(panes, project.Owner, except: configured);
            }

            // Still under the lock, so that an 'up' cannot start an agent whose processes are being
            // ended, nor a server whose socket is being removed.
            if (!everything)
                return StopLeftovers(ProcessTable.StopAll(() => AgentMarker.Find(project.Owner, agents.Select(a => a.Name).ToHashSet()), Grace));
            var result = StopLeftovers(ProcessTable.StopByEnvironment(AgentMarker.Owner, project.Owner, Grace));
            project.Tmux.RemoveSocketOnceEnded();
            return result;
        }
    }

    /// <summary>Reports the processes that outlived their agents' sessions, which were ended now; 1 when some would not end.</summary>
    private static int StopLeftovers((int Ended, IReadOnlyList<int> Survivors) stop)
    {
        if (stop.Ended > 0)
            Console.WriteLine($"processes: ended {stop.Ended} that the agents had started and that outlived their sessions");
        if (stop.Survivors.Count == 0)
            return 0;
        var pids = string.Join(' ', stop.Survivors);
        Console.Error.WriteLine($"agents: {stop.Survivors.Count} process(es) the agents started would not end (pids {pids}); end them with 'kill -9 {pids}'");
        return 1;
    }

    private static int StopAllWithoutConfig(string configPath)
    {
        var owner = CanonicalPath.Of(Path.GetDirectoryName(Path.GetFullPath(configPath))!);
        var store = new StateStore(StateLayout.For(owner));
        StopWatchdog(store);
        using var control = Directory.Exists(store.Layout.Root) ? FileLock.Acquire(store.Layout.ControlLock, TimeSpan.FromSeconds(30)) : null;
        var tmux = new TmuxClient(TmuxSocket.For(owner));
        StopOwnedSessions(Project.ListPanes(tmux, owner), owner, except: new HashSet<string>());
        if (Directory.Exists(store.Layout.AgentsDir))
            foreach (var file in Directory.EnumerateFiles(store.Layout.AgentsDir, "*.json"))
                MarkStopped(store, Path.GetFileNameWithoutExtension(file));
        var result = StopLeftovers(ProcessTable.StopByEnvironment(AgentMarker.Owner, owner, Grace));
        tmux.RemoveSocketOnceEnded();
        return result;
    }

    private static void StopWatchdog(StateStore store)
    {
        var (state, heartbeat) = WatchdogProcess.Inspect(store, DateTimeOffset.UtcNow);
        if (state == WatchdogState.Stopped)
        {
            Console.WriteLine("watchdog: not running");
            return;
        }
        WatchdogProcess.Stop(heartbeat!);
        Console.WriteLine($"watchdog: stopped (pid {heartbeat!.Pid})");
    }

    private static void StopOwnedSessions(IReadOnlyList<TmuxPane> panes, string owner, IReadOnlySet<string> except)
    {
        foreach (var pane in panes.Where(p => p.Owner == owner && !except.Contains(p.Session)))
        {
            new TmuxClient(pane.Socket).Kill(pane.Session);
            Console.WriteLine($"{pane.Session}: stopped");
        }
    }

    private static void MarkStopped(StateStore store, string agent)
    {
        if (store.ReadAgent(agent) is { } record)
            store.WriteAgent(Supervisor.Stopped(record, DateTimeOffset.UtcNow));
    }
}
