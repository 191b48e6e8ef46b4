using Engine.Agents.State;

namespace Engine.Agents.Work.Cycle;

/// <summary>Where work cycles keep their state, all under the project's <c>.ao-state/</c> (never tracked).</summary>
internal sealed record WorkLayout(StateLayout State)
{
    public string Database => Path.Combine(State.Root, "work.db");

    /// <summary>Held by the one cycle that runs; the kernel releases it when that process dies, however it dies.</summary>
    public string Lock => Path.Combine(State.Root, "work.lock");

    public string Root => Path.Combine(State.Root, "work");
    public string Worktrees => Path.Combine(Root, "worktrees");
    public string Audit => Path.Combine(Root, "audit");
    public string Logs => Path.Combine(Root, "logs");

    public string TaskWorktree(string taskId) => Path.Combine(Worktrees, taskId);
    public string PlanWorktree(long cycle) => Path.Combine(Worktrees, $"plan-{cycle}");

    /// <summary>Where a cycle the watchdog starts writes its progress.</summary>
    public string ScheduledLog => Path.Combine(Logs, "scheduled-cycles.log");

    public string Log(string name) => Path.Combine(Logs, name);

    public void Create()
    {
        State.Create();
        Directory.CreateDirectory(Worktrees);
        Directory.CreateDirectory(Audit);
        Directory.CreateDirectory(Logs);
    }
}
