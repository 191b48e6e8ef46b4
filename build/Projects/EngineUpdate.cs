using Orchestrator.Engine;
using Orchestrator.Fleet;
using Orchestrator.Git;
using Orchestrator.Harness;

namespace Orchestrator.Projects;

/// <summary>
/// UpdateEngine for one project: the ref resolved against the project's engine repository (<c>latest</c>: its newest
/// version tag), the bump, and with <paramref name="restart"/> the agents that were running restarted on the new
/// engine. They are stopped by the engine that started them, just before the checkout, and started by the engine
/// checked out after it (the old one again when the bump failed and restored the pin).
/// </summary>
internal sealed class EngineUpdate(FleetRegistry registry, string reference, bool restart, RemoteRefsCache refs)
{
    public BumpResult Apply(FleetProject project, bool dryRun, CancellationToken cancel) => WithRef(project, resolved =>
    {
        var bump = new EngineBump(project, resolved, registry);
        return restart ? WithRestart(project, bump, dryRun, cancel) : bump.Apply(dryRun, cancel);
    });

    /// <summary>Resolves the ref for the project (<c>latest</c> against its engine repository) and hands it to the move.</summary>
    public BumpResult WithRef(FleetProject project, Func<string, BumpResult> move)
    {
        string resolved;
        try
        {
            var url = project.ResolvedEngineUrl(registry.Folder);
            resolved = reference == EngineRef.Latest ? EngineRef.Resolve(reference, refs.For(url), url) : reference;
        }
        catch (Exception e) when (e is TargetFailedException or GitException)
        {
            return new BumpResult(project.Name, BumpOutcome.Failed, e.Message.Split('\n')[0]);
        }
        return move(resolved);
    }

    private static BumpResult WithRestart(FleetProject project, EngineBump bump, bool dryRun, CancellationToken cancel)
    {
        HarnessEntry harness;
        IReadOnlyList<string> running;
        try
        {
            harness = ProjectAgents.HarnessOf(project);
            running = AgentStates.Ask(project, harness).Where(a => a.Wanted).Select(a => a.Name).ToList();
        }
        catch (TargetFailedException e)
        {
            return new BumpResult(project.Name, BumpOutcome.Failed, $"cannot tell which agents run, so nothing was changed: {e.Message.Split('\n')[0]}");
        }
        if (running.Count == 0)
        {
            var alone = bump.Apply(dryRun, cancel);
            return alone.Outcome == BumpOutcome.Bumped ? alone with { Message = $"{alone.Message}; no agents were running" } : alone;
        }
        var plan = bump.Apply(dryRun: true, cancel);
        if (plan.Outcome != BumpOutcome.WouldBump)
            return dryRun ? plan : bump.Apply(dryRun: false, cancel);
        var agents = string.Join(", ", running);
        if (dryRun)
            return plan with { Message = $"{plan.Message}\nwould restart {agents}: {harness.Display("down")} before the checkout, {harness.Display(["up", .. running])} after it" };

        if (Harness(harness, project, ["down"]) is { } downFailed)
            return new BumpResult(project.Name, BumpOutcome.Failed, $"stopping its agents for the restart failed, so nothing was changed: {downFailed}");
        var result = bump.Apply(dryRun: false, cancel);
        var upFailed = Harness(harness, project, ["up", .. running]);
        return (result.Outcome, upFailed) switch
        {
            (BumpOutcome.Bumped, null) => result with { Message = $"{result.Message}; restarted {agents} on the new engine" },
            (BumpOutcome.Bumped, _) => result with { Outcome = BumpOutcome.Failed, Message = $"{result.Message}, but starting {agents} again failed: {upFailed}" },
            (_, null) => result with { Message = $"{result.Message}; {agents} started again on the old engine" },
            _ => result with { Message = $"{result.Message}; starting {agents} again on the old engine failed too: {upFailed}" },
        };
    }

    /// <summary>What UpdateEngine says when it bumped without --restart: a running engine is not swapped under its agents.</summary>
    public static string KeepTheOldEngine(IReadOnlyList<string> bumped) =>
        $"Running agents of {string.Join(", ", bumped)} keep the old engine until restarted: ./build.sh RestartProject --project "
        + (bumped.Count == 1 ? bumped[0] : "NAME for each") + ", or bump with --restart";

    /// <summary>Runs a harness verb; null when it succeeded, else what went wrong in one line.</summary>
    private static string? Harness(HarnessEntry harness, FleetProject project, string[] arguments)
    {
        try
        {
            var result = harness.RunShowingProgress(project.Directory, arguments);
            return result.Succeeded ? null : $"{harness.Display(arguments)} exited {result.ExitCode}: {result.FirstErrorLine}";
        }
        catch (TargetFailedException e)
        {
            return e.Message.Split('\n')[0];
        }
    }
}
