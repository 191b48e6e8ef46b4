using Orchestrator.Output;

namespace Orchestrator.Projects;

/// <summary>UpdateEngine's closing line when projects failed: how many, and what to do next for each kind of failure.</summary>
internal static class BumpSummary
{
    /// <summary>Null when none failed. A project whose engine lacks the ref is not offered a re-run: it would fail the same way.</summary>
    /// <param name="pullRequest">The run proposed pull requests (--pull-request), which the re-run command repeats.</param>
    /// <param name="restart">The run restarted agents (--restart), which the re-run command repeats.</param>
    public static string? Failure(IReadOnlyList<BumpResult> results, string reference, bool pullRequest = false, bool restart = false)
    {
        var failed = results.Where(r => r.Outcome == BumpOutcome.Failed).ToList();
        if (failed.Count == 0)
            return null;
        var next = new List<string>();
        if (failed.Where(r => r.RefMissing).Select(r => r.Project).ToList() is { Count: > 0 } missing)
            next.Add($"'{reference}' is not a ref of the engine repository of {string.Join(", ", missing)}; choose one of the tags listed above");
        if (failed.Where(r => !r.RefMissing).Select(r => r.Project).ToList() is { Count: > 0 } retry)
        {
            var options = new List<(string Flag, IReadOnlyList<string> Values)> { ("--project", retry), ("--ref", [reference]) };
            if (pullRequest)
                options.Add(("--pull-request", []));
            if (restart)
                options.Add(("--restart", []));
            next.Add($"fix what is said above, then run again: {ShellWords.Runbook("UpdateEngine", [.. options])}");
        }
        return $"{failed.Count} of {results.Count} failed; {string.Join("; ", next)}";
    }
}
