using Engine.Agents.Config;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Cycle;

/// <summary>The git facts a cycle works from: the repository, where the project sits in it, and its main branch.</summary>
/// <param name="Prefix">The project folder's path inside the repository ("" at its root): roles run in the same place in their worktrees.</param>
internal sealed record Repository(string TopLevel, string Prefix, string MainBranch)
{
    public string MainRef => "refs/heads/" + MainBranch;
}

/// <summary>Everything the steps of one cycle share.</summary>
internal sealed class CycleContext(
    ProjectConfig project,
    WorkConfig work,
    WorkLayout layout,
    WorkStore store,
    WorkGit git,
    Repository repository,
    Progress progress,
    long cycle,
    string marker,
    CancellationToken stopping)
{
    /// <summary>Every process of a cycle carries this variable (its value the cycle's marker): what a crashed cycle left is found by it.</summary>
    public const string CycleMarker = "AGENTS_WORK_CYCLE";

    public ProjectConfig Project { get; } = project;
    public WorkConfig Work { get; } = work;
    public WorkLayout Layout { get; } = layout;
    public WorkStore Store { get; } = store;
    public WorkGit Git { get; } = git;
    public Repository Repository { get; } = repository;
    public Progress Progress { get; } = progress;
    public long Cycle { get; } = cycle;
    public string Marker { get; } = marker;
    public CancellationToken Stopping { get; } = stopping;
    public RunRegistry Runs { get; } = new();
    public AuditLog Audit { get; } = new(layout.Audit);

    public IReadOnlyDictionary<string, string> Markers => new Dictionary<string, string> { [CycleMarker] = Marker };

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>Where a role or the gate works inside a worktree: the project's own folder in it.</summary>
    public string InWorktree(string worktree) => Repository.Prefix.Length == 0 ? worktree : Path.Combine(worktree, Repository.Prefix);

    /// <summary>
    /// Writes the heartbeats of the cycle and its running roles (their last output) every second until
    /// disposed; disposing waits for a beat being written.
    /// </summary>
    public IDisposable BeatEverySecond() => new Heartbeats(this);

    private sealed class Heartbeats : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Timer _timer;
        private bool _stopped;

        public Heartbeats(CycleContext context) =>
            _timer = new Timer(_ =>
            {
                lock (_gate)
                {
                    if (_stopped)
                        return;
                    try
                    {
                        context.Store.Heartbeat(context.Cycle, context.Runs.LastEvent, context.Runs.Active.Select(r => (r.Run, r.LastEvent)).ToList());
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException)
                    {
                        // A heartbeat that could not be written (the database busy for long) is written a second later.
                    }
                }
            }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        public void Dispose()
        {
            lock (_gate)
                _stopped = true;
            _timer.Dispose();
        }
    }

    public void Say(string line)
    {
        Runs.Touch();
        Progress.Line(line);
    }

    /// <summary>Records a task's failure; pauses the project once pause_after_failures tasks failed in a row.</summary>
    public Move Fail(WorkTask task, TaskEvent failure, string reason, TaskUpdate update)
    {
        var move = Store.Apply(task.Number, failure, update with { Message = reason, Finished = Now }, reason, Now);
        if (!move.Moved)
            return move;
        Say($"{task.Id}: {move.State.Name()}: {reason}");
        if (Patrol.PauseAfter(move.FailuresInARow, Work.PauseAfterFailures, $"{task.Id}: {reason}") is { } pause && !Store.Control().Paused)
        {
            Store.Pause(pause, Now);
            Say($"paused: {pause}; no task starts until 'agents resume'");
        }
        return move;
    }
}
