using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Cycle;

/// <summary>What the dispatch part of a cycle did, by task number.</summary>
internal sealed record DispatchResult(
    IReadOnlyList<long> Started,
    IReadOnlyList<long> Merged,
    IReadOnlyList<long> Failed,
    IReadOnlyList<long> Blocked,
    IReadOnlyList<long> Waiting,
    IReadOnlyList<(long Task, TaskState State)> Unfinished,
    string? Refusal);

/// <summary>
/// Runs tasks in waves: every pass it reads the tasks as they are, blocks and unblocks by their
/// dependencies, hands passed tasks to the merge queue (one merge at a time, on its own thread) and
/// starts ready tasks, up to max_workers at once, unless the project is paused or today's budget is
/// spent. It ends when nothing runs, nothing merges and nothing more can start.
/// </summary>
internal sealed class Dispatcher(CycleContext context, int maxWorkers)
{
    private readonly MergeQueue _queue = new(context);
    private static readonly TimeSpan Pass = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, (Task Thread, CancellationTokenSource Stop)> _running = new();
    private readonly BlockingCollection<WorkTask> _mergeQueue = new();
    private readonly ConcurrentQueue<(long Task, MergeOutcome Outcome)> _mergesDone = new();
    private readonly HashSet<long> _merging = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<long> _started = [], _merged = [], _blocked = [], _waiting = [];
    private ExceptionDispatchInfo? _fatal;

    public DispatchResult Run()
    {
        var merger = new Thread(MergeOneAtATime) { Name = "merge queue", IsBackground = true };
        merger.Start();
        string? refusal = null;
        try
        {
            while (true)
            {
                Reap();
                _fatal?.Throw();
                var tasks = context.Store.Tasks();
                StopCancelled(tasks);
                var readiness = Readiness.Of(tasks);
                Settle(readiness);

                if (!context.Stopping.IsCancellationRequested)
                {
                    foreach (var task in tasks.Where(t => t.State == TaskState.Passed && !_merging.Contains(t.Number) && !_waiting.Contains(t.Number)))
                    {
                        _merging.Add(task.Number);
                        _mergeQueue.Add(task);
                    }
                    refusal = Dispatch(tasks, readiness, refusal);
                }

                if (_running.Count == 0 && _merging.Count == 0)
                    break;
                _wake.Wait(Pass);
            }
        }
        finally
        {
            _mergeQueue.CompleteAdding();
            foreach (var (_, stop) in _running.Values)
                stop.Cancel();
            Task.WaitAll(_running.Values.Select(r => r.Thread).ToArray(), TimeSpan.FromMinutes(1));
            merger.Join(TimeSpan.FromMinutes(1));
            _queue.CleanUp();
        }

        var finalStates = context.Store.Tasks().ToDictionary(t => t.Number, t => t.State);
        var failed = _started.Concat(_merged).Concat(_waiting).Distinct()
            .Where(n => finalStates.GetValueOrDefault(n).IsFailure()).Order().ToList();
        var waiting = _waiting.Where(n => finalStates.GetValueOrDefault(n) == TaskState.Passed).ToList();
        // Started here and neither merged, failed nor waiting: cancelled meanwhile, or back in the queue.
        var unfinished = _started.Distinct().Where(n => !_merged.Contains(n) && !failed.Contains(n) && !waiting.Contains(n))
            .Select(n => (n, finalStates.GetValueOrDefault(n))).ToList();
        return new DispatchResult(_started, _merged, failed, _blocked, waiting, unfinished, refusal);
    }

    /// <summary>Starts ready tasks while workers are free and the patrol allows; returns why it may not, once it may not.</summary>
    private string? Dispatch(IReadOnlyList<WorkTask> tasks, Readiness readiness, string? refusal)
    {
        var ready = readiness.Ready.Where(n => !_running.ContainsKey(n)).ToList();
        if (ready.Count == 0 || _running.Count >= maxWorkers)
            return refusal;
        var control = context.Store.Control();
        var spent = context.Store.Totals(CycleContext.Now).Today;
        var refuse = Patrol.RefuseStart(control.Paused, control.PauseReason, spent, context.Work.MaxBudgetPerDay);
        if (refuse is not null)
        {
            if (refusal is null)
                context.Say($"no more tasks start: {refuse}");
            return refuse;
        }
        var byNumber = tasks.ToDictionary(t => t.Number);
        foreach (var number in ready.Take(maxWorkers - _running.Count))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
            var task = byNumber[number];
            var thread = Task.Factory.StartNew(() => TaskWork.Run(context, task, stop.Token), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            thread.ContinueWith(_ => _wake.Release(), TaskScheduler.Default);
            _running[number] = (thread, stop);
            _started.Add(number);
        }
        return null;
    }

    private void Settle(Readiness readiness)
    {
        foreach (var (number, reason) in readiness.Block)
        {
            var move = context.Store.Apply(number, TaskEvent.Block, new TaskUpdate { Message = $"blocked: {reason}" }, reason, CycleContext.Now);
            if (!move.Moved)
                continue;
            _blocked.Add(number);
            context.Say($"{TaskId.Format(number)}: blocked: {reason}");
        }
        foreach (var number in readiness.Unblock)
            if (context.Store.Apply(number, TaskEvent.Unblock, new TaskUpdate { ClearMessage = true }, "what it depends on can merge again", CycleContext.Now).Moved)
                context.Say($"{TaskId.Format(number)}: queued again: what it depends on can merge again");
    }

    /// <summary>A task cancelled while it runs: its worker (and the gate, and all they started) is stopped.</summary>
    private void StopCancelled(IReadOnlyList<WorkTask> tasks)
    {
        foreach (var task in tasks.Where(t => t.State == TaskState.Cancelled && _running.ContainsKey(t.Number)))
            _running[task.Number].Stop.Cancel();
    }

    private void Reap()
    {
        foreach (var (number, (thread, stop)) in _running.Where(r => r.Value.Thread.IsCompleted).ToList())
        {
            _running.Remove(number);
            stop.Dispose();
            if (thread.Exception is { } e)
                _fatal ??= ExceptionDispatchInfo.Capture(e.InnerException ?? e);
        }
        while (_mergesDone.TryDequeue(out var done))
        {
            _merging.Remove(done.Task);
            if (done.Outcome == MergeOutcome.Merged)
                _merged.Add(done.Task);
            else if (done.Outcome == MergeOutcome.Waiting)
                _waiting.Add(done.Task);
        }
    }

    private void MergeOneAtATime()
    {
        foreach (var first in _mergeQueue.GetConsumingEnumerable())
        {
            // Every task that waits now merges in this turn: with no gate, main moves once for them.
            var tasks = new List<WorkTask> { first };
            while (_mergeQueue.TryTake(out var next))
                tasks.Add(next);
            var outcomes = tasks.ToDictionary(t => t.Number, _ => MergeOutcome.Stopped);
            try
            {
                if (!context.Stopping.IsCancellationRequested && _fatal is null)
                    foreach (var (task, outcome) in _queue.Merge(tasks, context.Stopping))
                        outcomes[task.Number] = outcome;
                // What merged tasks leave is removed while nothing waits to merge.
                if (_mergeQueue.Count == 0)
                    _queue.CleanUp();
            }
            catch (Exception e)
            {
                _fatal ??= ExceptionDispatchInfo.Capture(e);
            }
            foreach (var (number, outcome) in outcomes)
                _mergesDone.Enqueue((number, outcome));
            _wake.Release();
        }
    }
}
