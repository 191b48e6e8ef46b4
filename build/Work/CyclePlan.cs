using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Output;

namespace Orchestrator.Work;

/// <summary>
/// RunCycle's plan: which of the selected projects get a cycle, from what their harnesses' status says, and which do
/// not and why (disabled, no clone, paused, no work cycles, a harness that cannot answer).
/// </summary>
/// <param name="Order">The selected projects' names, in the registry's order: the order of the results.</param>
internal sealed record CyclePlan(IReadOnlyList<FleetProject> ToRun, IReadOnlyList<CycleRun> NotRun, IReadOnlyList<string> Order)
{
    /// <summary>The projects whose harness RunCycle asks for status first: enabled (or forced) ones with a local clone.</summary>
    public static IReadOnlyList<FleetProject> ToAsk(IReadOnlyList<FleetProject> projects, bool force) =>
        projects.Where(p => (p.Enabled || force) && p.IsCloned).ToList();

    public static CyclePlan Make(IReadOnlyList<FleetProject> projects, IReadOnlyDictionary<string, LiveStatus> statuses, bool force)
    {
        var toRun = new List<FleetProject>();
        var notRun = new List<CycleRun>();
        foreach (var project in projects)
        {
            if (NotToRun(project, statuses.GetValueOrDefault(project.Name), force) is { } skipped)
                notRun.Add(skipped);
            else
                toRun.Add(project);
        }
        return new CyclePlan(toRun, notRun, projects.Select(p => p.Name).ToList());
    }

    /// <summary>Every selected project's result, the cycles that ran among those that did not, in the registry's order.</summary>
    public IReadOnlyList<CycleRun> Results(IEnumerable<CycleRun> ran)
    {
        var byName = ran.Concat(NotRun).ToDictionary(r => r.Project);
        return Order.Where(byName.ContainsKey).Select(name => byName[name]).ToList();
    }

    private static CycleRun? NotToRun(FleetProject project, LiveStatus? status, bool force)
    {
        CycleRun Not(CycleOutcome outcome, string message) => new(project.Name, outcome, message, null, TimeSpan.Zero);
        if (!project.Enabled && !force)
            return Not(CycleOutcome.Disabled, "disabled in fleet.toml; pass --force to run its cycle anyway");
        if (!project.IsCloned)
            return Not(CycleOutcome.Failed, $"no local clone at {project.Directory}{(project.Remote is null ? "" : $"; clone it there from {project.Remote}")}");
        if (status is null || status.Error is not null)
            return Not(CycleOutcome.Failed, $"its harness could not report its status: {status?.Error ?? "no answer"}");
        if (status.Work is not { } work)
            return Not(CycleOutcome.NoWorkCycles, WorkStatus.None);
        if (work.Paused)
            return Not(CycleOutcome.Paused, $"paused ({work.PauseReason ?? "no reason given"}); resume it with {ShellWords.Runbook("ResumeProject", ("--project", [project.Name]))}");
        return null;
    }
}
