using Orchestrator.Fleet;

namespace Orchestrator.Harness;

/// <summary>StartProject and StopProject: the project's harness, run in its folder with <c>up</c> or <c>down</c>.</summary>
internal static class ProjectAgents
{
    public static void Run(FleetProject project, string verb, IReadOnlyList<string> agents, bool force, bool dryRun)
    {
        if (!project.Enabled && !force)
            throw new TargetFailedException($"project '{project.Name}' is disabled in fleet.toml; pass --force to {(verb == "up" ? "start" : "stop")} it anyway");
        if (!project.IsCloned)
            throw new TargetFailedException(
                $"project '{project.Name}' has no local clone at {project.Directory}; clone it there{(project.Remote is null ? "" : $" from {project.Remote}")} first", 2);
        var harness = HarnessEntry.For(project.Directory);
        if (dryRun)
        {
            Console.WriteLine($"would run {harness.Display([verb, .. agents])} in {project.Directory}");
            return;
        }
        var exitCode = harness.RunAttached(project.Directory, [verb, .. agents]);
        if (exitCode != 0)
            throw new TargetFailedException($"{harness.Display([verb, .. agents])} exited {exitCode} in {project.Directory} (its output is above)");
    }
}
