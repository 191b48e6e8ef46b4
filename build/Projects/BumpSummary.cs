using Orchestrator.Output;

namespace Orchestrator.Projects;

/// <summary>UpdateEngine's closing line when projects failed: how many, and what to do next for each kind of failure.</summary>
internal static class BumpSummary
{
    /// <summary>Null when none failed. A project whose engine lacks the ref is not offered a re-run: it would fail the same way.</summary>
    public static string? Failure(IReadOnlyList<BumpResult> results, string reference)
    {
        var failed = results.Where(r => r.Outcome == BumpOutcome.Failed).ToList();
        if (failed.Count == 0)
            return null;
        var next = new List<string>();
        if (failed.Where(r => r.RefMissing).Select(r => r.Project).ToList() is { Count: > 0 } missing)
            next.Add($"'{reference}' is not a ref of the engine repository of {string.Join(", ", missing)}; choose one of the tags listed above");
        if (failed.Where(r => !r.RefMissing).Select(r => r.Project).ToList() is { Count: > 0 } retry)
            next.Add($"fix what is said above, then run again: {ShellWords.Runbook("UpdateEngine", ("--project", retry), ("--ref", [reference]))}");
        return $"{failed.Count} of {results.Count} failed; {string.Join("; ", next)}";
    }
}
