namespace Engine.Agents.Work.Model;

/// <summary>Tasks and what each depends on: dependencies are enforced, so they must form no cycle.</summary>
internal static class DependencyGraph
{
    /// <summary>A cycle as the path that closes it (a, b, a), or null when there is none.</summary>
    public static IReadOnlyList<T>? FindCycle<T>(IReadOnlyDictionary<T, IReadOnlyList<T>> dependsOn) where T : notnull
    {
        var done = new HashSet<T>();
        var path = new List<T>();
        var onPath = new HashSet<T>();

        IReadOnlyList<T>? Visit(T node)
        {
            if (onPath.Contains(node))
                return [.. path.Skip(path.IndexOf(node)), node];
            if (!done.Add(node))
                return null;
            path.Add(node);
            onPath.Add(node);
            foreach (var next in dependsOn.TryGetValue(node, out var edges) ? edges : [])
                if (Visit(next) is { } cycle)
                    return cycle;
            path.RemoveAt(path.Count - 1);
            onPath.Remove(node);
            return null;
        }

        foreach (var node in dependsOn.Keys)
            if (Visit(node) is { } cycle)
                return cycle;
        return null;
    }

    /// <summary>
    /// The wave of each task: 1 for a task that depends on nothing, else one more than its deepest
    /// dependency. Tasks of one wave can run side by side. The graph must have no cycle.
    /// </summary>
    public static IReadOnlyDictionary<T, int> Waves<T>(IReadOnlyDictionary<T, IReadOnlyList<T>> dependsOn) where T : notnull
    {
        var waves = new Dictionary<T, int>();

        int Wave(T node)
        {
            if (waves.TryGetValue(node, out var known))
                return known;
            var edges = dependsOn.TryGetValue(node, out var e) ? e : [];
            return waves[node] = 1 + edges.Select(Wave).DefaultIfEmpty(0).Max();
        }

        foreach (var node in dependsOn.Keys)
            Wave(node);
        return waves;
    }
}
