using System.Globalization;
using System.Text;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Cycle;

/// <summary>
/// Markdown files beside the database, one per plan, worker run and verdict: what a person reads to
/// learn what a cycle did and why, without SQL.
/// </summary>
internal sealed class AuditLog(string folder)
{
    public string Plan(long cycle, RoleOutcome outcome, string rawOutput, IReadOnlyList<WorkTask> added, IReadOnlyList<string> dropped, string? problem)
    {
        var text = Header($"Plan of cycle {cycle}")
            .Append(Run(outcome))
            .Append(problem is null ? "" : $"\n**Refused:** {problem}\n");
        text.Append("\n## Tasks added\n\n");
        if (added.Count == 0)
            text.Append("(none)\n");
        foreach (var task in added)
            text.Append($"- {task.Id}: {task.Title}{(task.DependsOn.Count > 0 ? $" (after {string.Join(", ", task.DependsOn.Select(TaskId.Format))})" : "")}\n");
        foreach (var line in dropped)
            text.Append($"- dropped: {line}\n");
        text.Append("\n## The planner's answer\n\n").Append(Fenced(outcome.Text ?? rawOutput));
        return Write($"cycle-{cycle}-plan.md", text);
    }

    public string Worker(WorkTask task, RoleOutcome outcome, string? diffStat, bool engineCommitted)
    {
        var text = Header($"{task.Id} worker, attempt {task.Attempts}: {task.Title}")
            .Append($"- branch: `{task.Branch}` from `{Short(task.BaseCommit)}`\n")
            .Append(Run(outcome))
            .Append($"- changes: {diffStat ?? "none"}{(engineCommitted ? " (committed by the cycle: the worker left them uncommitted)" : "")}\n")
            .Append("\n## Summary\n\n").Append(Fenced(outcome.Text ?? "(none)"));
        return Write($"{task.Id}-worker-{task.Attempts}.md", text);
    }

    public string Verdict(WorkTask task, string stage, bool passed, IReadOnlyList<string> reasons, GateResult? gate, RoleOutcome? review)
    {
        var text = Header($"{task.Id} verdict ({stage}), attempt {task.Attempts}: {(passed ? "pass" : "fail")}")
            .Append(string.Concat(reasons.Select(r => $"- {r}\n")));
        if (review is not null)
            text.Append("\n## Reviewer\n\n").Append(Run(review)).Append('\n').Append(Fenced(review.Text ?? "(no answer)"));
        if (gate?.Output is { } output)
            text.Append("\n## Gate output\n\n").Append(Fenced(output));
        return Write($"{task.Id}-{stage}-{task.Attempts}.md", text);
    }

    private static StringBuilder Header(string title) =>
        new StringBuilder($"# {title}\n\n").Append($"- at: {DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture)}\n");

    private static string Run(RoleOutcome outcome) =>
        $"- outcome: {(outcome.Succeeded ? "succeeded" : "failed: " + outcome.Error)}\n"
        + $"- cost: {(outcome.CostUsd is { } usd ? Patrol.Usd(usd) : "unknown")}, tokens {outcome.Tokens.Total} "
        + $"(input {outcome.Tokens.Input}, output {outcome.Tokens.Output}, cache read {outcome.Tokens.CacheRead}, cache creation {outcome.Tokens.CacheCreation})"
        + (outcome.Turns is { } turns ? $", {turns} turns" : "") + (outcome.SessionId is { } session ? $", session {session}" : "") + "\n";

    private static string Fenced(string text)
    {
        var fence = text.Contains("```") ? "~~~~" : "```";
        return $"{fence}\n{text.TrimEnd()}\n{fence}\n";
    }

    private static string Short(string? commit) => commit is null ? "?" : commit[..Math.Min(10, commit.Length)];

    private string Write(string name, StringBuilder text)
    {
        var path = Path.Combine(folder, name);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
