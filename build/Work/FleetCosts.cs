using System.Globalization;
using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator.Work;

/// <summary>FleetCosts --json.</summary>
/// <param name="Days">The fleet's spend per UTC day, every project summed.</param>
internal sealed record FleetCostsDocument(string? Since, IReadOnlyList<ProjectCostsEntry> Projects, IReadOnlyList<CostDay> Days,
    double CostUsd, TokenCounts Tokens, int RunsWithoutCost);

/// <param name="WorkCycles">False when the project has no work cycles (no [work] table, an older engine, the Python harness).</param>
/// <param name="Error">Why its harness could not report its costs, in one line; null when it did.</param>
internal sealed record ProjectCostsEntry(string Project, bool WorkCycles, string? Error, IReadOnlyList<CostDay> Days, double CostUsd, TokenCounts Tokens);

/// <summary>One day's spend: its runs, those of them that reported no price, the USD of those that did, and tokens.</summary>
/// <param name="CostUsd">Null when no run of the day reported a price.</param>
internal sealed record CostDay(string Day, int Runs, int RunsWithoutCost, double? CostUsd, TokenCounts Tokens);

/// <summary>FleetCosts: each project's spend per day from its harness's <c>costs --json</c>, and the fleet's.</summary>
internal static class FleetCosts
{
    /// <summary>The day --since names, or a usage failure that says how to write one.</summary>
    public static DateOnly? ParseSince(string? since) =>
        since is null ? null
        : DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new TargetFailedException($"--since '{since}' is not a date; write it as YYYY-MM-DD, e.g. {DateTime.UtcNow.AddDays(-7):yyyy-MM-dd}", 2);

    /// <summary>Asks each project with a local clone, at most <paramref name="parallel"/> at once.</summary>
    public static FleetCostsDocument Gather(IReadOnlyList<FleetProject> projects, DateOnly? since, int parallel, CancellationToken cancel)
    {
        var cloned = projects.Where(p => p.IsCloned).ToList();
        var replies = PerProject.Run(cloned, parallel, p => ProjectWork.CostsAsync(p, since, cancel).GetAwaiter().GetResult());
        return Sum(since, replies);
    }

    /// <summary>Per project, its lines (role and model) summed per day; for the fleet, every project's days summed.</summary>
    public static FleetCostsDocument Sum(DateOnly? since, IReadOnlyList<WorkReply<ProjectCosts>> replies)
    {
        var projects = replies.Select(r => r.Value is { } costs
                ? new ProjectCostsEntry(r.Project, true, null, ByDay(costs.Days.Select(l => new CostDay(l.Day, l.Runs, l.RunsWithoutCost, l.CostUsd, l.Tokens))),
                    costs.CostUsd, costs.Tokens)
                : new ProjectCostsEntry(r.Project, r.Outcome != WorkOutcome.NoWorkCycles, r.Outcome == WorkOutcome.NoWorkCycles ? null : r.Message, [], 0, TokenCounts.Zero))
            .ToList();
        var days = ByDay(projects.SelectMany(p => p.Days));
        return new FleetCostsDocument(since?.ToString("yyyy-MM-dd"), projects, days, Math.Round(projects.Sum(p => p.CostUsd), 6),
            projects.Aggregate(TokenCounts.Zero, (sum, p) => sum.Add(p.Tokens)), days.Sum(d => d.RunsWithoutCost));
    }

    private static IReadOnlyList<CostDay> ByDay(IEnumerable<CostDay> lines) =>
        lines.GroupBy(l => l.Day, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CostDay(
            g.Key,
            g.Sum(l => l.Runs),
            g.Sum(l => l.RunsWithoutCost),
            g.Any(l => l.CostUsd is not null) ? Math.Round(g.Sum(l => l.CostUsd ?? 0), 6) : null,
            g.Aggregate(TokenCounts.Zero, (sum, l) => sum.Add(l.Tokens)))).ToList();

    public static void Write(TextWriter output, FleetCostsDocument costs, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, costs, RunbookJson.Default.FleetCostsDocument);
            return;
        }
        var rows = costs.Projects.SelectMany(p => p.Days.Select(d => Row(p.Project, d))).ToList();
        if (costs.Projects.Count(p => p.Days.Count > 0) > 1)
            rows.AddRange(costs.Days.Select(d => Row("(fleet)", d)));
        if (rows.Count > 0)
        {
            TextTable.Write(output, ["PROJECT", "DAY", "RUNS", "USD", "TOKENS"], rows);
            output.WriteLine();
        }
        foreach (var project in costs.Projects.Where(p => p.Days.Count == 0))
            output.WriteLine($"{project.Project}: {project.Error ?? (project.WorkCycles ? "no runs" : WorkStatus.None)}");
        var unpriced = costs.RunsWithoutCost > 0 ? $" ({Counted.Of(costs.RunsWithoutCost, "run")} without a price)" : "";
        output.WriteLine($"fleet total{(costs.Since is { } since ? $" since {since}" : "")}: {Money.Usd(costs.CostUsd)}, {Money.Tokens(costs.Tokens.Total)}{unpriced}"
            + $" over {Counted.Of(costs.Projects.Count(p => p.WorkCycles), "project")} with work cycles");
    }

    /// <summary>Projects whose harness could not say; null when every one answered.</summary>
    public static string? Failure(FleetCostsDocument costs) =>
        costs.Projects.Where(p => p.Error is not null).Select(p => p.Project).ToList() is { Count: > 0 } failed
            ? $"{Counted.Of(failed.Count, "project")} could not report costs: {string.Join(", ", failed)} (the reasons are above)"
            : null;

    private static IReadOnlyList<string> Row(string project, CostDay day) =>
        [project, day.Day, day.Runs.ToString(CultureInfo.InvariantCulture), Money.Usd(day.CostUsd), day.Tokens.Total.ToString("N0", CultureInfo.InvariantCulture)];
}
