using System.Diagnostics;

namespace Runbook;

/// <summary>
/// Runs a plan: failures stop the run unless ProceedAfterFailure; AssuredAfterFailure targets always run. An abort
/// cancels <see cref="NukeBuild.Cancellation"/> and waits for the running target to stop and undo its work, within a
/// bound or until a second signal.
/// </summary>
internal sealed class Executor(Reporter reporter, RunContext context)
{
    public int Execute(ExecutionPlan plan)
    {
        var results = new Dictionary<ExecutableTarget, TargetResult>();
        var watch = Stopwatch.StartNew();
        var stopped = false;
        var aborted = false;
        foreach (var (target, skipReason) in plan.Entries)
        {
            aborted |= context.Abort.IsCancellationRequested;
            var assured = target.Definition.IsAssuredAfterFailure;
            var blocker = target.Dependencies.FirstOrDefault(d => results.TryGetValue(d, out var r) && r.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Aborted);
            TargetResult result;
            if (skipReason is not null)
                result = new TargetResult(target, TargetStatus.Skipped, TimeSpan.Zero, skipReason);
            else if ((aborted || stopped) && !assured)
                result = new TargetResult(target, TargetStatus.NotRun, TimeSpan.Zero, aborted ? "run aborted" : "an earlier target failed");
            else if (blocker is not null && !assured)
                result = new TargetResult(target, TargetStatus.NotRun, TimeSpan.Zero, $"{blocker.Name} {results[blocker].Status.ToString().ToLowerInvariant()}");
            else if (Conditions.FirstFalse(target.Definition.DynamicConditions) is { } condition)
                result = new TargetResult(target, TargetStatus.Skipped, TimeSpan.Zero, $"condition false: {condition}");
            else
            {
                result = Run(target, abortable: !aborted);
                stopped |= result.Status == TargetStatus.Failed && !target.Definition.IsProceedAfterFailure;
                aborted |= result.Status == TargetStatus.Aborted;
            }
            results[target] = result;
        }

        var all = plan.Entries.Select(e => results[e.Target]).ToList();
        var exitCode = aborted ? 1 : all.Where(r => r.Status == TargetStatus.Failed).Select(r => r.ExitCode).DefaultIfEmpty(0).Max();
        reporter.Summary(all, watch.Elapsed, exitCode);
        return exitCode;
    }

    private TargetResult Run(ExecutableTarget target, bool abortable)
    {
        reporter.TargetHeader(target);
        var watch = Stopwatch.StartNew();
        // Assured targets that run after an abort clean up: the run waits for them.
        var cancel = abortable ? context.Abort : CancellationToken.None;
        var work = Task.Run(async () =>
        {
            foreach (var action in target.Definition.Actions)
                await action();
        });
        try
        {
            work.Wait(cancel);
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException)
        {
            // Reported below from the work as it ended, or as the abort left it.
        }
        if (!work.IsCompleted && !EndsWithin(work, QuickStop))
        {
            reporter.Error($"{target.Name}: aborting: waiting for it to stop and undo its work (Ctrl-C again to stop at once)");
            if (!WaitForUndo(work))
            {
                var reason = context.StopNow.IsCancellationRequested
                    ? "stopped before its undo finished"
                    : $"its undo did not finish within {context.UndoLimit.TotalSeconds:0.#} s";
                reporter.Error($"{target.Name}: aborted; {reason}");
                return new TargetResult(target, TargetStatus.Aborted, watch.Elapsed, reason);
            }
        }
        return Finished(target, work, cancel.IsCancellationRequested, watch.Elapsed);
    }

    /// <summary>
    /// How long an aborted target may take to end before the run says it waits for its undo: a target whose work ends
    /// on the abort (a server that stops serving) has nothing to undo, and says nothing about one.
    /// </summary>
    private static readonly TimeSpan QuickStop = TimeSpan.FromMilliseconds(250);

    private static bool EndsWithin(Task work, TimeSpan time)
    {
        try
        {
            work.Wait(time);
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException)
        {
            // Judged by the caller, from the work as it ended.
        }
        return work.IsCompleted;
    }

    /// <summary>Waits for an aborted target to undo its work: until it ends, the undo limit passes, or a second signal.</summary>
    private bool WaitForUndo(Task work)
    {
        try
        {
            work.Wait(context.UndoLimit, context.StopNow);
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException)
        {
            // Judged below.
        }
        return work.IsCompleted;
    }

    private TargetResult Finished(ExecutableTarget target, Task work, bool aborted, TimeSpan duration)
    {
        if (work.IsCompletedSuccessfully)
            return new TargetResult(target, TargetStatus.Succeeded, duration);
        var failure = FailureOf(work);
        if (aborted)
        {
            // Whatever ended the work, it ended because of the abort: a child process it killed, or the target's own stop.
            var why = failure is OperationCanceledException and not TargetAbortedException ? null : FirstLine(failure.Message);
            reporter.Error(why is null ? $"{target.Name}: aborted" : $"{target.Name}: aborted: {why}");
            return new TargetResult(target, TargetStatus.Aborted, duration, why ?? "aborted");
        }
        reporter.Failure(target, failure);
        var exitCode = failure switch
        {
            TargetFailedException failed => failed.ExitCode,
            UsageException => 2,
            _ => 1,
        };
        return new TargetResult(target, TargetStatus.Failed, duration, FirstLine(failure.Message), exitCode);
    }

    /// <summary>What ended the work, as the target threw it (a cancelled task keeps its exception only for awaiters).</summary>
    private static Exception FailureOf(Task failed)
    {
        try
        {
            failed.GetAwaiter().GetResult();
        }
        catch (AggregateException e)
        {
            // Work that ran in parallel inside the target nests its failures.
            return e.Flatten().InnerException ?? e;
        }
        catch (Exception e)
        {
            return e;
        }
        throw new ArgumentException("the work did not fail", nameof(failed));
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('\r');
}
