using System.Text;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Prompts;

/// <summary>
/// The prompt each role gets: its role text (shipped with the engine, or the project's own
/// <c>prompts/work/ROLE.md</c>), then the facts of this run.
/// </summary>
internal static class RolePrompts
{
    private const int LongestFile = 256 * 1024;
    private const int LongestDiff = 256 * 1024;

    /// <summary>The project's override when it has one, else the text shipped with the engine.</summary>
    public static string RoleText(string projectDir, WorkRole role)
    {
        var own = OverridePath(projectDir, role);
        if (File.Exists(own))
            return File.ReadAllText(own);
        using var shipped = typeof(RolePrompts).Assembly.GetManifestResourceStream($"prompts/{role.Name()}.md")
            ?? throw new InvalidOperationException($"the engine was built without its {role.Name()} prompt");
        using var reader = new StreamReader(shipped);
        return reader.ReadToEnd();
    }

    public static string OverridePath(string projectDir, WorkRole role) =>
        Path.Combine(projectDir, "prompts", "work", role.Name() + ".md");

    public static string Planner(string roleText, IEnumerable<(string Path, string? Text)> context, (string Path, string? Text)? backlog,
        IReadOnlyCollection<WorkTask> open, IReadOnlyCollection<WorkTask> recent)
    {
        var prompt = new StringBuilder(roleText.TrimEnd()).Append("\n\n# Context\n");
        var any = false;
        foreach (var (path, text) in context)
        {
            any = true;
            AppendFile(prompt, path, text);
        }
        if (!any)
            prompt.Append("\n(no context files are configured; read README.md or what the project has)\n");
        if (backlog is { } b)
        {
            prompt.Append("\n# Backlog\n");
            AppendFile(prompt, b.Path, b.Text);
        }

        prompt.Append("\n# Open tasks\n\n");
        if (open.Count == 0)
            prompt.Append("(none)\n");
        foreach (var task in open)
            prompt.Append($"- {task.Id} [{task.State.Name()}] {task.Title}{After(task)}\n");

        prompt.Append("\n# Recent outcomes\n\n");
        if (recent.Count == 0)
            prompt.Append("(none yet)\n");
        foreach (var task in recent)
            prompt.Append($"- {task.Id} [{task.State.Name()}] {task.Title}{(task.Message is { } why ? ": " + why : "")}\n");
        return prompt.ToString();
    }

    public static string Worker(string roleText, WorkTask task, IReadOnlyList<string> gate) =>
        new StringBuilder(roleText.TrimEnd())
            .Append("\n\n# Your task\n\n")
            .Append(TaskBlock(task))
            .Append(gate.Count == 0 ? "\nThere is no automatic gate: check your work yourself.\n" : $"\nThe gate runs: {string.Join("; then ", gate)}\n")
            .ToString();

    public static string Reviewer(string roleText, WorkTask task, string diff) =>
        new StringBuilder(roleText.TrimEnd())
            .Append("\n\n# The task\n\n").Append(TaskBlock(task))
            .Append("\n# The diff against main\n\n```diff\n")
            .Append(diff.Length > LongestDiff ? diff[..LongestDiff] + "\n... (the diff is longer; read the rest in the worktree)\n" : diff)
            .Append("\n```\n")
            .ToString();

    public static string Resolver(string roleText, WorkTask task, IReadOnlyList<string> conflicted) =>
        new StringBuilder(roleText.TrimEnd())
            .Append("\n\n# The task\n\n").Append(TaskBlock(task))
            .Append("\n# Files with conflicts\n\n")
            .Append(string.Concat(conflicted.Select(f => $"- {f}\n")))
            .ToString();

    private static string TaskBlock(WorkTask task) =>
        $"{task.Id}: {task.Title}\n" +
        (task.Type is { } type ? $"Type: {type}\n" : "") +
        (task.Description is { } description ? $"\n{description.TrimEnd()}\n" : "");

    private static string After(WorkTask task) =>
        task.DependsOn.Count == 0 ? "" : $" (after {string.Join(", ", task.DependsOn.Select(TaskId.Format))})";

    private static void AppendFile(StringBuilder prompt, string path, string? text)
    {
        prompt.Append($"\n## {path}\n\n");
        if (text is null)
            prompt.Append("(this file does not exist)\n");
        else
            prompt.Append(text.Length > LongestFile ? text[..LongestFile] + "\n... (cut here; read the rest in the checkout)\n" : text.TrimEnd() + "\n");
    }
}
