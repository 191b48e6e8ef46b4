namespace Orchestrator.Work;

/// <summary>A task to queue in a project: what AddTask and the dashboard hand to <c>task add</c>.</summary>
/// <param name="DependsOn">Ids of the project's tasks that must be merged first (t3, or 3 for t3).</param>
internal sealed record NewTask(string Title, string? Description, IReadOnlyList<string> DependsOn);

/// <summary>
/// The harness's work verbs as argument arrays (engine/README.md, "Commands"): every value a word of its own, or
/// <c>--option=value</c> when it starts with '-' and the engine would take it for an option.
/// </summary>
internal static class WorkVerbs
{
    public static string[] Cycle(bool noPlan) => noPlan ? ["cycle", "--json", "--no-plan"] : ["cycle", "--json"];

    public static string[] Pause(string? reason) => reason is null ? ["pause"] : ["pause", .. Valued("--reason", reason)];

    public static string[] Resume() => ["resume"];

    /// <summary><c>task add TITLE ...</c>; <c>--depends-on</c> last, since it takes every word after it.</summary>
    /// <exception cref="ArgumentException">A title that starts with '-': the engine reads the title as an operand, never an option.</exception>
    public static string[] AddTask(NewTask task)
    {
        if (task.Title.Trim().Length == 0)
            throw new ArgumentException("--title is empty; give the task a title");
        if (task.Title.StartsWith('-'))
            throw new ArgumentException($"--title '{task.Title}' starts with '-', which the harness would take for an option; reword it");
        var words = new List<string> { "task", "add", task.Title };
        if (task.Description is { } description)
            words.AddRange(Valued("--description", description));
        if (task.DependsOn.Count > 0)
            words.AddRange(["--depends-on", .. task.DependsOn]);
        return [.. words];
    }

    public static string[] Tasks(string? state) => state is null ? ["tasks", "--json"] : ["tasks", "--json", .. Valued("--state", state)];

    public static string[] History(int? limit) => limit is { } n ? ["history", "--json", "--limit", n.ToString()] : ["history", "--json"];

    public static string[] Costs(DateOnly? since) => since is { } day ? ["costs", "--json", "--since", day.ToString("yyyy-MM-dd")] : ["costs", "--json"];

    private static string[] Valued(string option, string value) => value.StartsWith('-') ? [$"{option}={value}"] : [option, value];
}
