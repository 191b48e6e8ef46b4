using Orchestrator.Fleet;
using Orchestrator.Processes;

namespace Orchestrator.Harness;

/// <summary>StartProject, StopProject and RestartProject: the project's harness, run in its folder with <c>up</c> or <c>down</c>.</summary>
internal static class ProjectAgents
{
    public static void Run(FleetProject project, string verb, IReadOnlyList<string> agents, bool force, bool dryRun, CancellationToken cancel = default)
    {
        var harness = Allowed(project, verb, force);
        if (dryRun)
        {
            Console.WriteLine($"would run {harness.Display([verb, .. agents])} in {project.Directory}");
            return;
        }
        Console.Out.Flush();
        var exitCode = harness.RunAttached(project.Directory, [verb, .. agents], cancel);
        if (exitCode != 0)
            throw new TargetFailedException($"{harness.Display([verb, .. agents])} exited {exitCode} in {project.Directory} (its output is above)");
    }

    /// <summary>All the project's agents up or down, the harness's output collected rather than shown: what the dashboard runs.</summary>
    public static Task<CommandResult> RunCollectedAsync(FleetProject project, string verb, CancellationToken cancel) =>
        Allowed(project, verb, force: false).RunAsync(project.Directory, [verb], null, cancel);

    private static HarnessEntry Allowed(FleetProject project, string verb, bool force) =>
        project.Enabled || force
            ? HarnessOf(project)
            : throw new TargetFailedException($"project '{project.Name}' is disabled in fleet.toml; pass --force to {(verb == "up" ? "start" : "stop")} it anyway");

    /// <summary>Down, then up: the agents (all, and the watchdog, when none are named) start again on the engine checked out now.</summary>
    public static void Restart(FleetProject project, IReadOnlyList<string> agents, bool force, bool dryRun, CancellationToken cancel)
    {
        if (!project.Enabled && !force)
            throw new TargetFailedException($"project '{project.Name}' is disabled in fleet.toml; pass --force to restart it anyway");
        Run(project, "down", agents, force, dryRun, cancel);
        Run(project, "up", agents, force, dryRun, cancel);
    }

    /// <summary>The harness of a project that has a local clone.</summary>
    public static HarnessEntry HarnessOf(FleetProject project) =>
        project.IsCloned
            ? HarnessEntry.For(project.Directory)
            : throw new TargetFailedException(
                $"project '{project.Name}' has no local clone at {project.Directory}; clone it there{(project.Remote is null ? "" : $" from {project.Remote}")} first", 2);
}
