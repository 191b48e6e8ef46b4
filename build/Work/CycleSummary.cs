namespace Orchestrator.Work;

/// <summary>A cycle's result in one line: "cycle 3 succeeded: planned 2, merged t1 t2; $0.42, 504,100 tokens".</summary>
internal static class CycleSummary
{
    public static string Of(CycleResult result)
    {
        var head = result.Id is { } id && result.Outcome is not ("busy" or "paused") ? $"cycle {id} {result.Outcome}" : result.Outcome;
        var lists = new[] { ("merged", result.Merged), ("failed", result.Failed), ("blocked", result.Blocked), ("waiting", result.Waiting) }
            .Where(l => l.Item2.Count > 0)
            .Select(l => $"{l.Item1} {string.Join(" ", l.Item2)}")
            .ToList();
        var parts = new List<string>();
        if (result.Planned.Count > 0)
            parts.Add($"planned {result.Planned.Count}");
        parts.AddRange(lists);
        if (lists.Count == 0 && result.Message is { } message)
            parts.Add(message);
        parts.AddRange(result.Problems.Where(p => p != result.Message));
        var spent = result.Dispatched.Count > 0 || result.Planned.Count > 0 || result.CostUsd is > 0
            ? $"; {(result.CostUsd is null ? "cost unknown" : Money.Usd(result.CostUsd))}, {Money.Tokens(result.Tokens.Total)}"
            : "";
        return parts.Count == 0 ? $"{head}{spent}" : $"{head}: {string.Join(", ", parts)}{spent}";
    }
}
