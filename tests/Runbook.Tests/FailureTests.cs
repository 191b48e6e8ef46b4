using Runbook;

namespace Runbook.Tests;

public sealed class FailureTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Failing : NukeBuild
    {
        public readonly List<string> Ran = [];

        Target Fails => _ => _.Executes(() => throw new TargetFailedException("disk full"));
        Target FailsButProceeds => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("flaky"));
        Target NeedsFails => _ => _.DependsOn(Fails).Executes(() => Ran.Add(nameof(NeedsFails)));
        Target NeedsProceeding => _ => _.DependsOn(FailsButProceeds).Executes(() => Ran.Add(nameof(NeedsProceeding)));
        Target Independent => _ => _.Executes(() => Ran.Add(nameof(Independent)));
        Target Cleanup => _ => _.AssuredAfterFailure().Executes(() => Ran.Add(nameof(Cleanup)));
        Target CouldNotRun => _ => _.Executes(() => throw new TargetFailedException("no git on PATH", exitCode: 2));
        Target Async => _ => _.Executes(async () =>
        {
            await Task.Yield();
            Ran.Add(nameof(Async));
        });
    }

    [Fact]
    public void A_failure_stops_the_run_and_the_summary_says_why()
    {
        var result = _harness.Run<Failing>("Fails Independent");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Build.Ran);
        Assert.Contains("error: Fails: disk full", result.Err);
        Assert.Matches(@"Fails\s+Failed\s+\d+:\d\d\.\d\d\s+// disk full", result.Err);
        Assert.Matches(@"Independent\s+NotRun\s+// an earlier target failed", result.Err);
        Assert.Contains("Build failed in", result.Err);
        Assert.DoesNotContain("at Runbook", result.Err);
    }

    [Fact]
    public void Proceed_after_failure_runs_the_rest_but_not_the_dependents()
    {
        var result = _harness.Run<Failing>("NeedsProceeding Independent");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Independent"], result.Build.Ran);
        Assert.Matches(@"NeedsProceeding\s+NotRun\s+// FailsButProceeds failed", result.Err);
    }

    [Fact]
    public void Assured_targets_run_after_a_failure()
    {
        var result = _harness.Run<Failing>("Fails Cleanup");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Cleanup"], result.Build.Ran);
    }

    [Fact]
    public void A_target_can_choose_exit_code_two()
    {
        var result = _harness.Run<Failing>("CouldNotRun");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: CouldNotRun: no git on PATH", result.Err);
    }

    [Fact]
    public void Async_targets_are_awaited()
    {
        var result = _harness.Run<Failing>("Async Independent");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Async", "Independent"], result.Build.Ran);
        Assert.Contains("Build succeeded in", result.Err);
    }

    private sealed class Interruptible : NukeBuild
    {
        public readonly List<string> Ran = [];
        public readonly ManualResetEventSlim Started = new();

        Target Long => _ => _.Executes(() =>
        {
            Started.Set();
            Thread.Sleep(Timeout.Infinite);
        });
        Target After => _ => _.After(Long).Executes(() => Ran.Add(nameof(After)));
        Target Cleanup => _ => _.After(Long).AssuredAfterFailure().Executes(() => Ran.Add(nameof(Cleanup)));
    }

    [Fact]
    public void An_abort_leaves_a_target_that_ignores_it_after_the_undo_limit_runs_assured_targets_and_fails()
    {
        using var abort = new CancellationTokenSource();
        var build = new Interruptible();
        var run = Task.Run(() => _harness.Run("Long After Cleanup", abort: abort.Token, build: build, undoLimit: TimeSpan.FromMilliseconds(200)));
        Assert.True(build.Started.Wait(TimeSpan.FromSeconds(30)));
        abort.Cancel();
        var result = run.Result;
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Cleanup"], build.Ran);
        Assert.Matches(@"Long\s+Aborted.*// its undo did not finish within 0.2 s", result.Err);
        Assert.Matches(@"After\s+NotRun\s+// run aborted", result.Err);
    }

    private sealed class Undoing : NukeBuild
    {
        public readonly List<string> Ran = [];
        public readonly ManualResetEventSlim Started = new();
        public TimeSpan UndoTakes = TimeSpan.Zero;

        Target Change => _ => _.Executes(() =>
        {
            Ran.Add("changed");
            Started.Set();
            try
            {
                Task.Delay(Timeout.Infinite, Cancellation).Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                Thread.Sleep(UndoTakes);
                Ran.Add("undone");
                throw new TargetAbortedException("interrupted; the change was undone");
            }
        });
        Target After => _ => _.After(Change).Executes(() => Ran.Add(nameof(After)));
    }

    [Fact]
    public void An_abort_cancels_the_running_target_and_waits_for_its_undo()
    {
        using var abort = new CancellationTokenSource();
        var build = new Undoing { UndoTakes = TimeSpan.FromMilliseconds(300) };
        var run = Task.Run(() => _harness.Run("Change After", abort: abort.Token, build: build));
        Assert.True(build.Started.Wait(TimeSpan.FromSeconds(30)));
        abort.Cancel();
        var result = run.Result;
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["changed", "undone"], build.Ran);
        Assert.Contains("error: Change: aborting: waiting for it to stop and undo its work (Ctrl-C again to stop at once)", result.Err);
        Assert.Contains("error: Change: aborted: interrupted; the change was undone", result.Err);
        Assert.Matches(@"Change\s+Aborted\s+\d+:\d\d\.\d\d\s+// interrupted; the change was undone", result.Err);
        Assert.Matches(@"After\s+NotRun\s+// run aborted", result.Err);
    }

    [Fact]
    public void An_undo_that_outlasts_the_limit_is_left_and_the_run_says_so()
    {
        using var abort = new CancellationTokenSource();
        var build = new Undoing { UndoTakes = TimeSpan.FromSeconds(30) };
        var run = Task.Run(() => _harness.Run("Change", abort: abort.Token, build: build, undoLimit: TimeSpan.FromMilliseconds(200)));
        Assert.True(build.Started.Wait(TimeSpan.FromSeconds(30)));
        abort.Cancel();
        var result = run.Result;
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["changed"], build.Ran);
        Assert.Contains("error: Change: aborted; its undo did not finish within 0.2 s", result.Err);
    }

    [Fact]
    public void A_second_signal_stops_waiting_for_the_undo()
    {
        using var abort = new CancellationTokenSource();
        using var stopNow = new CancellationTokenSource();
        var build = new Undoing { UndoTakes = TimeSpan.FromSeconds(30) };
        var run = Task.Run(() => _harness.Run("Change", abort: abort.Token, build: build, stopNow: stopNow.Token));
        Assert.True(build.Started.Wait(TimeSpan.FromSeconds(30)));
        abort.Cancel();
        stopNow.Cancel();
        var result = run.Result;
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Change: aborted; stopped before its undo finished", result.Err);
    }
}
