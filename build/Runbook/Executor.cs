using System.Diagnostics;

namespace Runbook;

/// <summary>Runs a plan: failures stop the run unless ProceedAfterFailure; AssuredAfterFailure targets always run; an abort stops the running target.</summary>
internal sealed class Executor(Reporter reporter, CancellationToken abort)
{
    public int Execute(ExecutionPlan plan)
    {
        var results = new Dictionary<ExecutableTarget, TargetResult>();
        var watch = Stopwatch.StartNew();
        var stopped = false;
        var aborted = false;
        foreach (var (target, skipReason) in plan.Entries)
        {
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
        var work = Task.Run(async () =>
        {
            foreach (var action in target.Definition.Actions)
                await action();
        });
        try
        {
            if (abortable)
                work.Wait(abort);
            else
                work.Wait();
            return new TargetResult(target, TargetStatus.Succeeded, watch.Elapsed);
        }
        catch (Exception e) when (abort.IsCancellationRequested && IsCancellation(e))
        {
            reporter.Error($"{target.Name}: aborted");
            return new TargetResult(target, TargetStatus.Aborted, watch.Elapsed, "aborted");
        }
        catch (AggregateException e)
        {
            // Work that ran in parallel inside the target nests its failures.
            var failure = e.Flatten().InnerException ?? e;
            reporter.Failure(target, failure);
            var exitCode = failure switch
            {
                TargetFailedException failed => failed.ExitCode,
                UsageException => 2,
                _ => 1,
            };
            return new TargetResult(target, TargetStatus.Failed, watch.Elapsed, FirstLine(failure.Message), exitCode);
        }
    }

    /// <summary>The wait gave up on the abort, or the target stopped on it (it may finish first).</summary>
    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || e is AggregateException aggregate && aggregate.Flatten().InnerExceptions.All(i => i is OperationCanceledException);

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('\r');
}
