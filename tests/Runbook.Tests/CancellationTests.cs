using Runbook;

namespace Runbook.Tests;

public sealed class CancellationTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Waiting : NukeBuild
    {
        public readonly ManualResetEventSlim Started = new();
        public readonly TaskCompletionSource<bool> SawCancellation = new();

        Target Wait => _ => _.Executes(() =>
        {
            Started.Set();
            SawCancellation.SetResult(Cancellation.WaitHandle.WaitOne(TimeSpan.FromMinutes(1)));
            Cancellation.ThrowIfCancellationRequested();
        });
    }

    [Fact]
    public void A_target_sees_the_abort_as_its_cancellation_and_stopping_on_it_is_an_abort()
    {
        using var abort = new CancellationTokenSource();
        var build = new Waiting();
        var run = Task.Run(() => _harness.Run("Wait", abort: abort.Token, build: build));
        Assert.True(build.Started.Wait(TimeSpan.FromSeconds(30)));
        Assert.False(build.Cancellation.IsCancellationRequested);
        abort.Cancel();
        var result = run.Result;
        Assert.Equal(1, result.ExitCode);
        Assert.True(build.SawCancellation.Task.Result);
        Assert.Matches(@"Wait\s+Aborted", result.Err);
    }
}
