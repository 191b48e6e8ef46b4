namespace Runbook;

/// <summary>One scheduled target and, when it will not run, why.</summary>
internal sealed record PlannedTarget(ExecutableTarget Target, string? SkipReason)
{
    public bool IsSkipped => SkipReason is not null;
}

internal sealed record ExecutionPlan(IReadOnlyList<ExecutableTarget> Invoked, IReadOnlyList<PlannedTarget> Entries)
{
    public IEnumerable<ExecutableTarget> ToExecute => Entries.Where(e => !e.IsSkipped).Select(e => e.Target);
}

/// <summary>
/// Decides which targets run and in which order: invoked targets, their dependencies, triggered targets until
/// nothing new; ordering edges order but never pull a target in; independent targets keep the order typed.
/// </summary>
internal static class Planner
{
    /// <param name="skip">null: no --skip; empty: skip every target not invoked; else the targets named.</param>
    /// <param name="failedStaticCondition">The text of a target's first false static condition, or null when it may run.</param>
    public static ExecutionPlan Plan(
        IReadOnlyList<ExecutableTarget> invoked,
        IReadOnlyList<ExecutableTarget>? skip,
        Func<ExecutableTarget, string?> failedStaticCondition)
    {
        var scheduled = Schedule(invoked);
        var order = Order(invoked, scheduled);
        var skipReasons = SkipReasons(invoked, skip, order, failedStaticCondition);
        return new ExecutionPlan(invoked, order.Select(t => new PlannedTarget(t, skipReasons.GetValueOrDefault(t))).ToList());
    }

    private static HashSet<ExecutableTarget> Schedule(IReadOnlyList<ExecutableTarget> invoked)
    {
        var scheduled = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(invoked.Reverse());
        while (pending.TryPop(out var target))
        {
            if (!scheduled.Add(target))
                continue;
            foreach (var next in target.Dependencies.Concat(target.Triggers))
                pending.Push(next);
        }
        return scheduled;
    }

    private static List<ExecutableTarget> Order(IReadOnlyList<ExecutableTarget> invoked, HashSet<ExecutableTarget> scheduled)
    {
        var order = new List<ExecutableTarget>(scheduled.Count);
        var inProgress = new HashSet<ExecutableTarget>();
        var done = new HashSet<ExecutableTarget>();

        // Depth-first: everything a target waits for is emitted just before it, and what it triggers just after,
        // so unrelated targets come out in the order they were typed.
        void Visit(ExecutableTarget target)
        {
            if (done.Contains(target) || !inProgress.Add(target))
                return;
            foreach (var predecessor in target.Predecessors.Where(scheduled.Contains))
                Visit(predecessor);
            inProgress.Remove(target);
            done.Add(target);
            order.Add(target);
            foreach (var triggered in target.Triggers)
                Visit(triggered);
        }

        foreach (var target in invoked)
            Visit(target);
        foreach (var target in scheduled.OrderBy(t => t.DeclarationIndex))
            Visit(target);
        return order;
    }

    private static Dictionary<ExecutableTarget, string> SkipReasons(
        IReadOnlyList<ExecutableTarget> invoked,
        IReadOnlyList<ExecutableTarget>? skip,
        List<ExecutableTarget> order,
        Func<ExecutableTarget, string?> failedStaticCondition)
    {
        var reasons = new Dictionary<ExecutableTarget, string>();
        var cascades = new HashSet<ExecutableTarget>();
        foreach (var target in order)
        {
            if (skip is not null && (skip.Count == 0 ? !invoked.Contains(target) : skip.Contains(target)))
            {
                reasons[target] = "--skip";
                cascades.Add(target);
            }
            else if (failedStaticCondition(target) is { } condition)
            {
                reasons[target] = $"condition false: {condition}";
                if (target.Definition.SkippedDependencies == DependencyBehavior.Skip)
                    cascades.Add(target);
            }
        }

        // A target still runs when something that runs (or a skipped target that lets its dependencies run)
        // needs it; everything else reachable only through skips is skipped with them.
        var needed = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(invoked.Where(t => !reasons.ContainsKey(t) || !cascades.Contains(t)));
        while (pending.TryPop(out var target))
        {
            if (!needed.Add(target))
                continue;
            if (cascades.Contains(target))
                continue;
            foreach (var dependency in target.Dependencies)
                pending.Push(dependency);
            if (!reasons.ContainsKey(target))
                foreach (var triggered in target.Triggers)
                    pending.Push(triggered);
        }

        foreach (var target in order.Where(t => !needed.Contains(t) && !reasons.ContainsKey(t)))
        {
            var skippedNeeders = order.Where(o => reasons.ContainsKey(o) && (o.Dependencies.Contains(target) || o.Triggers.Contains(target)));
            reasons[target] = $"needed only by skipped {string.Join(", ", skippedNeeders.Select(t => t.Name).DefaultIfEmpty("targets"))}";
        }
        return reasons;
    }
}
