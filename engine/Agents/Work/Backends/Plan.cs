using System.Text.Json;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Backends;

/// <summary>One task as a planner proposed it; dependencies are indexes into its own list or ids of existing tasks.</summary>
internal sealed record PlannedTask(string Title, string? Description, string? Type, IReadOnlyList<int> AfterIndexes, IReadOnlyList<long> AfterTasks);

/// <summary>A planner's tasks ready to store: dependencies resolved, repeats dropped.</summary>
/// <param name="New">Tasks to add, each with the indexes (into <c>New</c>) and the existing tasks it depends on.</param>
/// <param name="Dropped">Why each repeat was left out.</param>
internal sealed record Plan(IReadOnlyList<PlannedTask> New, IReadOnlyList<string> Dropped)
{
    /// <summary>
    /// The first JSON object with a <c>tasks</c> array in the planner's raw output, else in its final
    /// answer. Null (with a reason) when there is none or it is malformed.
    /// </summary>
    public static IReadOnlyList<PlannedTask>? Read(IEnumerable<string> texts, out string? problem)
    {
        problem = null;
        foreach (var text in texts)
        {
            if (JsonScan.FirstObjectWith(text, "tasks", JsonValueKind.Array) is not { } found)
                continue;
            var tasks = new List<PlannedTask>();
            var index = 0;
            foreach (var item in found.GetProperty("tasks").EnumerateArray())
            {
                var task = ReadTask(item, index++, out problem);
                if (task is null)
                    return null;
                tasks.Add(task);
            }
            return tasks;
        }
        problem = "the planner's output has no JSON object with a \"tasks\" array";
        return null;
    }

    private static PlannedTask? ReadTask(JsonElement item, int index, out string? problem)
    {
        problem = null;
        var where = $"planned task {index}";
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = $"{where} is not an object with a title";
            return null;
        }
        var title = item.String("title")?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            problem = $"{where} has no title";
            return null;
        }
        var indexes = new List<int>();
        var ids = new List<long>();
        if (item.TryGetProperty("depends_on", out var dependsOn) && dependsOn.ValueKind != JsonValueKind.Null)
        {
            if (dependsOn.ValueKind != JsonValueKind.Array)
            {
                problem = $"{where} ('{title}'): depends_on must be a list";
                return null;
            }
            foreach (var dependency in dependsOn.EnumerateArray())
            {
                if (dependency.ValueKind == JsonValueKind.Number && dependency.TryGetInt32(out var i))
                    indexes.Add(i);
                else if (dependency.ValueKind == JsonValueKind.String && TaskId.Parse(dependency.GetString()!) is { } id)
                    ids.Add(id);
                else
                {
                    problem = $"{where} ('{title}'): depends_on holds {dependency.GetRawText()}, neither an index into the list nor a task id like \"t3\"";
                    return null;
                }
            }
        }
        return new PlannedTask(title, Blank(item.String("description")), Blank(item.String("type")), indexes, ids);
    }

    /// <summary>
    /// Checks a planner's tasks against the tasks that exist: indexes in range, ids known, no cycle.
    /// A task that repeats an open or failed one as it was (same title and description) is dropped,
    /// and whatever depended on it depends on the existing task instead.
    /// </summary>
    public static Plan Resolve(IReadOnlyList<PlannedTask> planned, IReadOnlyCollection<WorkTask> existing, out string? problem)
    {
        problem = null;
        var known = existing.ToDictionary(t => t.Number);
        for (var i = 0; i < planned.Count; i++)
        {
            var task = planned[i];
            if (task.AfterIndexes.FirstOrDefault(d => d < 0 || d >= planned.Count || d == i, -1) is var bad and >= 0)
            {
                problem = bad == i
                    ? $"planned task {i} ('{task.Title}') depends on itself"
                    : $"planned task {i} ('{task.Title}') depends on index {bad}, but the list has {planned.Count} tasks (0 to {planned.Count - 1})";
                return new Plan([], []);
            }
            if (task.AfterTasks.FirstOrDefault(id => !known.ContainsKey(id)) is var unknown and > 0)
            {
                problem = $"planned task {i} ('{task.Title}') depends on {TaskId.Format(unknown)}, which does not exist";
                return new Plan([], []);
            }
        }

        var graph = Enumerable.Range(0, planned.Count).ToDictionary(i => i, i => (IReadOnlyList<int>)planned[i].AfterIndexes);
        if (DependencyGraph.FindCycle(graph) is { } cycle)
        {
            problem = "the planned tasks depend on each other in a cycle: " + string.Join(" -> ", cycle.Select(i => $"{i} ('{planned[i].Title}')"));
            return new Plan([], []);
        }

        var repeats = new Dictionary<int, WorkTask>();
        for (var i = 0; i < planned.Count; i++)
            if (existing.FirstOrDefault(t => IsRepeat(planned[i], t)) is { } same)
                repeats[i] = same;

        var kept = Enumerable.Range(0, planned.Count).Where(i => !repeats.ContainsKey(i)).ToList();
        var newIndex = kept.Select((old, position) => (old, position)).ToDictionary(p => p.old, p => p.position);
        var tasks = kept.Select(i => planned[i] with
        {
            AfterIndexes = planned[i].AfterIndexes.Where(newIndex.ContainsKey).Select(d => newIndex[d]).ToList(),
            AfterTasks = planned[i].AfterTasks.Concat(planned[i].AfterIndexes.Where(repeats.ContainsKey).Select(d => repeats[d].Number)).Distinct().ToList(),
        }).ToList();
        var dropped = repeats.Select(r => $"'{planned[r.Key].Title}' repeats {r.Value.Id} ({r.Value.State.Name()}) as it was; not added").ToList();
        return new Plan(tasks, dropped);
    }

    /// <summary>The same work as an existing task that is still open or that failed: same title and description.</summary>
    private static bool IsRepeat(PlannedTask planned, WorkTask task) =>
        task.State is not (TaskState.Merged or TaskState.Cancelled)
        && Same(planned.Title, task.Title)
        && Same(planned.Description ?? "", task.Description ?? "");

    private static bool Same(string a, string b) =>
        string.Equals(string.Join(' ', a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            string.Join(' ', b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.OrdinalIgnoreCase);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
