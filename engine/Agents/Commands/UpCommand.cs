using Engine.Agents.Cli;
using Engine.Agents.Config;
using Engine.Agents.Processes;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;

namespace Engine.Agents.Commands;

/// <summary>
/// <c>up [AGENT...]</c>: preflight, then start what is not running (keeping what is), then make sure
/// the project's watchdog runs.
/// </summary>
internal static class UpCommand
{
    public static int Run(Invocation invocation)
    {
        var project = Project.Load(invocation);
        var agents = project.Select(invocation.Operands);

        var tmuxFound = Exec.FindOnPath("tmux") is not null;
        var problems = Preflight.Check(project, agents, tmuxFound ? project.ListPanes() : null);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
                Console.Error.WriteLine(problem);
            Console.Error.WriteLine($"agents: preflight found {problems.Count} problem(s); nothing was started");
            return 1;
        }

        var retired = WatchdogProcess.RetireIfStale(project.Store);
        var failures = 0;
        using (project.LockControl())
        {
            var panes = project.ListPanes();
            foreach (var agent in agents)
            {
                try
                {
                    Console.WriteLine(Start(project, agent, panes));
                }
                catch (TmuxException e)
                {
                    failures++;
                    Console.Error.WriteLine($"agents: {agent.Name}: {e.Message}");
                }
            }
        }

        Console.WriteLine(WatchdogProcess.Ensure(project, retired));
        return failures == 0 ? 0 : 1;
    }

    private static string Start(Project project, AgentSpec agent, IReadOnlyList<TmuxPane> panes)
    {
        var store = project.Store;
        var previous = store.ReadAgent(agent.Name);
        var now = DateTimeOffset.UtcNow;
        var session = project.Config.SessionName(agent);

        if (project.Observe(panes, agent) is PaneObservation.Alive alive)
        {
            store.WriteAgent(Supervisor.Adopted(agent, previous, alive, now));
            return project.ServerOf(panes, session).Socket == project.Tmux.Socket
                ? $"{agent.Name}: running (pid {alive.Pid}, session {session}), kept"
                : $"{agent.Name}: running (pid {alive.Pid}, session {session} on the default tmux server, where an older engine started it), kept; "
                    + $"it moves to this project's server when restarted ('agents down {agent.Name}' and 'agents up {agent.Name}')";
        }

        var pid = project.Run(panes, agent);
        store.WriteAgent(Supervisor.Launched(agent, previous, pid, ProcessTable.StartTicksIfAlive(pid), now));
        return $"{agent.Name}: started (pid {pid}, session {session})";
    }
}
