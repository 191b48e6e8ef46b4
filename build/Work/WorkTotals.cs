using System.Text.Json.Serialization;
using Orchestrator.Harness;
using Orchestrator.Output;

namespace Orchestrator.Work;

/// <summary>The fleet's work cycles in FleetStatus --live: how many projects have them, their heartbeats, tasks and spend.</summary>
/// <param name="Projects">Projects whose harness reported work cycles.</param>
internal sealed record WorkTotals(int Projects, int Running, int Stale, int Stopped, int Paused, TaskCounts Tasks,
    double CostUsdToday, double CostUsdTotal, long TokensToday)
{
    public static WorkTotals Of(IEnumerable<WorkStatus> projects)
    {
        var all = projects.ToList();
        return new WorkTotals(
            all.Count,
            all.Count(w => w.Liveness == "running"),
            all.Count(w => w.Liveness == "stale"),
            all.Count(w => w.Liveness is not ("running" or "stale")),
            all.Count(w => w.Paused),
            all.Aggregate(TaskCounts.Zero, (sum, w) => sum.Add(w.Tasks)),
            Math.Round(all.Sum(w => w.CostUsdToday), 6),
            Math.Round(all.Sum(w => w.CostUsdTotal), 6),
            all.Sum(w => w.TokensToday));
    }

    /// <summary>"work: 2 projects with work cycles: 1 running, 1 stopped, 1 paused; tasks 2 queued, 1 running, 7 merged, 1 failed; $1.25 today, $9.80 in total".</summary>
    [JsonIgnore]
    public string Line =>
        $"work: {Counted.Of(Projects, "project")} with work cycles: {Running} running, {Stale} stale, {Stopped} stopped, {Paused} paused; "
        + $"tasks {Tasks.Queued} queued, {Tasks.Running} running, {Tasks.Merged} merged, {Tasks.Failed} failed; "
        + $"{Money.Usd(CostUsdToday)} today, {Money.Usd(CostUsdTotal)} in total";

    /// <summary>A project's row of the work table: heartbeat class, paused, tasks queued/running/merged/failed, cost today and in total.</summary>
    public static IReadOnlyList<string> Row(string project, LiveStatus? live) => live switch
    {
        null => [project, "-", "", "", "", "", "", "", ""],
        { Error: not null } => [project, "status failed", "", "", "", "", "", "", ""],
        { Work: null } => [project, WorkStatus.None, "", "", "", "", "", "", ""],
        { Work: { } work } =>
        [
            project, work.Liveness, work.Paused ? "yes" : "no", $"{work.Tasks.Queued}", $"{work.Tasks.Running}", $"{work.Tasks.Merged}",
            $"{work.Tasks.Failed}", Money.Usd(work.CostUsdToday), Money.Usd(work.CostUsdTotal),
        ],
    };

    public static readonly IReadOnlyList<string> Headers = ["WORK", "HEARTBEAT", "PAUSED", "QUEUED", "RUNNING", "MERGED", "FAILED", "TODAY", "TOTAL"];
}
