using Orchestrator.Fleet;
using Orchestrator.Output;

namespace Orchestrator.Harness;

/// <summary>
/// Attach: the harness's <c>attach AGENT</c>, on the operator's terminal. On a terminal it becomes <c>tmux attach</c>
/// on the agent's session (detach with Ctrl-b d); elsewhere it prints that command. The Python harness has no attach:
/// the operator gets the command to run instead.
/// </summary>
internal static class AgentAttach
{
    public static void Attach(FleetProject project, string? agentName, CancellationToken cancel)
    {
        var harness = ProjectAgents.HarnessOf(project);
        var agent = AgentStates.Pick(AgentStates.Ask(project, harness), agentName, project);
        if (harness.IsPython)
        {
            Console.WriteLine($"{harness.Display()} has no attach; run: {ByHand(agent)}");
            return;
        }
        Console.Out.Flush();
        var exitCode = harness.RunAttached(project.Directory, ["attach", agent.Name], cancel);
        if (exitCode != 0)
            throw new TargetFailedException(
                $"{harness.Display("attach", agent.Name)} exited {exitCode} in {project.Directory} (its output is above); an engine that predates attach needs: {ByHand(agent)}");
    }

    private static string ByHand(AgentState agent) =>
        agent.Session is { } session
            ? $"tmux attach -t {ShellWords.Quote("=" + session)} (detach with Ctrl-b d)"
            : "tmux ls, then tmux attach -t SESSION with the agent's session (detach with Ctrl-b d)";
}
