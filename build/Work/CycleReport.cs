using Orchestrator.Output;

namespace Orchestrator.Work;

/// <summary>RunCycle --json.</summary>
/// <param name="Rerun">The command that runs the failed projects' cycles again; null when none failed.</param>
internal sealed record RunCycleDocument(IReadOnlyList<CycleRunEntry> Projects, CycleTotals Totals, string? Rerun);

/// <param name="Outcome">succeeded, failed, paused, no_work_cycles or disabled (the last three are skips).</param>
/// <param name="Cycle">The harness's cycle --json result; null when the cycle did not run.</param>
internal sealed record CycleRunEntry(string Project, string Outcome, string Message, double Seconds, CycleResult? Cycle);

internal sealed record CycleTotals(int Projects, int Succeeded, int Failed, int Skipped, double CostUsd, TokenCounts Tokens);

/// <summary>What RunCycle says of its cycles: a line each, the totals, the re-run command, the JSON document.</summary>
internal static class CycleReport
{
    public static string Line(CycleRun run) => run.Outcome switch
    {
        _ when run.Skipped => $"{run.Project}: skipped, {run.Message}",
        CycleOutcome.Failed when run.Result is null => $"{run.Project}: failed: {run.Message}{Took(run)}",
        _ => $"{run.Project}: {run.Message}{Took(run)}",
    };

    public static CycleTotals Totals(IReadOnlyList<CycleRun> runs) => new(
        runs.Count,
        runs.Count(r => r.Outcome == CycleOutcome.Succeeded),
        runs.Count(r => r.Outcome == CycleOutcome.Failed),
        runs.Count(r => r.Skipped),
        Math.Round(runs.Sum(r => r.Result?.CostUsd ?? 0), 6),
        runs.Aggregate(TokenCounts.Zero, (sum, r) => r.Result?.Tokens is { } tokens ? sum.Add(tokens) : sum));

    public static string Summary(CycleTotals totals) =>
        $"{Counted.Of(totals.Projects, "project")}: {totals.Succeeded} succeeded, {totals.Failed} failed, {totals.Skipped} skipped; {Money.Usd(totals.CostUsd)}, {Money.Tokens(totals.Tokens.Total)}";

    /// <summary>The command that runs the failed projects' cycles again, with the options that shaped this run; null when none failed.</summary>
    public static string? Rerun(IReadOnlyList<CycleRun> runs, bool noPlan, bool force)
    {
        var failed = runs.Where(r => r.Outcome == CycleOutcome.Failed).Select(r => r.Project).ToList();
        if (failed.Count == 0)
            return null;
        var options = new List<(string Flag, IReadOnlyList<string> Values)> { ("--project", failed) };
        if (noPlan)
            options.Add(("--no-plan", []));
        if (force)
            options.Add(("--force", []));
        return ShellWords.Runbook("RunCycle", [.. options]);
    }

    /// <summary>The closing failure: how many failed and the re-run line; null when none failed.</summary>
    public static string? Failure(IReadOnlyList<CycleRun> runs, bool noPlan, bool force) =>
        Rerun(runs, noPlan, force) is { } rerun
            ? $"{runs.Count(r => r.Outcome == CycleOutcome.Failed)} of {Counted.Of(runs.Count, "cycle")} failed; fix what is said above, then run again: {rerun}"
            : null;

    public static RunCycleDocument Document(IReadOnlyList<CycleRun> runs, bool noPlan, bool force) =>
        new(runs.Select(r => new CycleRunEntry(r.Project, OutcomeName(r.Outcome), r.Message, Math.Round(r.Took.TotalSeconds, 1), r.Result)).ToList(),
            Totals(runs),
            Rerun(runs, noPlan, force));

    public static string OutcomeName(CycleOutcome outcome) => outcome switch
    {
        CycleOutcome.Succeeded => "succeeded",
        CycleOutcome.Failed => "failed",
        CycleOutcome.Paused => "paused",
        CycleOutcome.NoWorkCycles => "no_work_cycles",
        _ => "disabled",
    };

    /// <summary>A duration as people read it: "45s", "2m05s", "1h02m".</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
        : $"{(int)span.TotalSeconds}s";

    private static string Took(CycleRun run) => run.Took > TimeSpan.Zero ? $" ({Duration(run.Took)})" : "";
}
