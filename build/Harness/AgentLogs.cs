using Orchestrator.Fleet;

namespace Orchestrator.Harness;

/// <summary>Logs: an agent's output log through the harness (<c>logs AGENT [--follow]</c>), shown as it comes.</summary>
internal static class AgentLogs
{
    /// <summary>
    /// The named agent's log, or the only agent's; with several and no name, each agent's log in turn under its name.
    /// Following reads one log until Ctrl-C, so it needs one agent.
    /// </summary>
    public static void Show(FleetProject project, string? agent, bool follow, CancellationToken cancel)
    {
        var harness = ProjectAgents.HarnessOf(project);
        var agents = agent is not null ? [agent] : AgentStates.Ask(project, harness).Select(a => a.Name).ToList();
        if (agents.Count == 0)
            throw new TargetFailedException($"project '{project.Name}' has no agents in its agents.toml");
        if (follow && agents.Count > 1)
            throw new TargetFailedException($"--follow follows one agent, and project '{project.Name}' has {string.Join(", ", agents)}; pass --agent NAME", 2);
        var failed = new List<string>();
        foreach (var name in agents)
        {
            if (agents.Count > 1)
                Console.WriteLine($"== {name}");
            Console.Out.Flush();
            string[] arguments = follow ? ["logs", name, "--follow"] : ["logs", name];
            if (harness.RunAttached(project.Directory, arguments, cancel) is not 0 and var exitCode)
                failed.Add($"{harness.Display(arguments)} exited {exitCode}");
        }
        if (failed.Count > 0)
            throw new TargetFailedException($"{string.Join("; ", failed)} in {project.Directory} (the harness's own words are above)");
    }
}
