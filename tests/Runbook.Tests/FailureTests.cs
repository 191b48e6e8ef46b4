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
    public void An_abort_stops_the_running_target_runs_assured_targets_and_fails()
    {
        using var abort = new CancellationTokenSource();
        var build = new Interruptible();
        var run = Task.Run(() => _harness.Run("Long After Cleanup", abort: abort.Token, build: build));
        Assert.True(build.Started.Wait(TimeSpan.FromSeconds(30)));
        abort.Cancel();
        var result = run.Result;
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Cleanup"], build.Ran);
        Assert.Matches(@"Long\s+Aborted", result.Err);
        Assert.Matches(@"After\s+NotRun\s+// run aborted", result.Err);
    }
}
