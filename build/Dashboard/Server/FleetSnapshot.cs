using System.Text.Json;
using Orchestrator.Fleet;
using Orchestrator.Harness;

namespace Orchestrator.Dashboard;

/// <summary>
/// One gathering of the fleet, as FleetStatus --live gathers it: the registry, each project's git facts, and its
/// harness's status (one harness call per engine version). Heartbeats are classified only when a page asks, by the
/// clock of that moment, so a cached snapshot never shows a heartbeat younger than it is.
/// </summary>
internal sealed record FleetSnapshot(FleetRegistry Registry, FleetStatusReport Report, DateTimeOffset GatheredAt)
{
    /// <summary>How many projects' git facts are read at once.</summary>
    private const int Parallel = 8;

    public static FleetSnapshot Gather(AbsolutePath fleetFile, TimeProvider clock)
    {
        var registry = FleetRegistry.Load(fleetFile);
        var report = FleetStatusReport.Gather(registry, null, null, Parallel, live: true);
        return new FleetSnapshot(registry, report, clock.GetUtcNow());
    }

    public ProjectStatus? Find(string name) => Report.Projects.FirstOrDefault(p => p.Project.Name == name);

    public StateDocument State(DateTimeOffset now, Func<string, ActionDocument?> actionOf)
    {
        var projects = Report.Projects.Select(p => Summary(p, now, actionOf(p.Project.Name))).ToList();
        var work = projects.Select(p => p.Work).OfType<WorkSummary>().ToList();
        var totals = new FleetTotals(
            projects.Count,
            projects.Count(p => p.Enabled),
            projects.Sum(p => p.Agents?.Running ?? 0),
            projects.Sum(p => p.Agents?.Total ?? 0),
            work.Aggregate(TaskCounts.Zero, (sum, w) => sum.Add(w.Tasks)),
            work.Sum(w => w.CostUsdToday),
            work.Sum(w => w.CostUsdTotal));
        return new StateDocument(Registry.DisplayName, now, GatheredAt, totals, projects);
    }

    public ProjectSummary Summary(ProjectStatus status, DateTimeOffset now, ActionDocument? action)
    {
        var project = status.Project;
        var live = Report.Live?.GetValueOrDefault(project.Name);
        var drift = status.Cloned ? status.EngineProblems : [];
        return new ProjectSummary(
            project.Name,
            project.Enabled,
            status.Cloned,
            project.Harness,
            project.Tags,
            new EngineSummary(project.Ref, status.Cloned && status.Error is null && drift.Count == 0, drift),
            live is { Error: null, Report: { } report } ? Agents(report) : null,
            live?.Watchdog,
            live?.Work is { } work ? Work(work, now) : null,
            status.Error ?? live?.Error,
            action);
    }

    private static AgentsSummary Agents(JsonElement report)
    {
        var agents = report.GetProperty("agents").EnumerateArray().Select(a => new AgentSummary(
            a.GetProperty("name").GetString()!,
            a.GetProperty("state").GetString()!,
            Int(a, "pid"),
            Time(a, "since"),
            Int(a, "restarts") ?? 0,
            Time(a, "last_output"),
            Int(a, "last_exit_code"))).ToList();
        return new AgentsSummary(agents.Count(a => a.State == "running"), agents.Count, agents);
    }

    private static WorkSummary Work(WorkStatus work, DateTimeOffset now) => new(
        work.LivenessAt(now),
        work.Heartbeat,
        work.StaleAfterSeconds,
        work.StoppedAfterSeconds,
        work.Paused,
        work.PauseReason,
        work.Cycle?.Id,
        work.LastCycle,
        work.Tasks,
        work.CostUsdToday,
        work.CostUsdTotal,
        work.NextCycle);

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;
}
