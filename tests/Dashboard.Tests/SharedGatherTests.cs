using Orchestrator.Dashboard;
using Runbook;
using TestSupport;

namespace Dashboard.Tests;

/// <summary>The sharing of one gathering between requests, by a clock the test moves.</summary>
public sealed class SharedGatherTests
{
    private readonly AheadClock _clock = new();
    private readonly TaskCompletionSource _release = new();
    private int _gathered;
    private bool _fail;

    private SharedGather<string> Gather() => new(() =>
    {
        _release.Task.Wait();
        var n = Interlocked.Increment(ref _gathered);
        return _fail ? throw new TargetFailedException("fleet.toml:1:1: broken") : $"snapshot {n}";
    }, _clock, TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Requests_during_a_gathering_wait_for_that_one()
    {
        var shared = Gather();
        var waiting = Enumerable.Range(0, 20).Select(_ => shared.GetAsync()).ToList();
        _release.SetResult();
        Assert.All(await Task.WhenAll(waiting), s => Assert.Equal("snapshot 1", s));
        Assert.Equal(1, shared.Gatherings);
    }

    [Fact]
    public async Task A_result_serves_while_fresh_then_serves_on_while_the_next_is_gathered()
    {
        _release.SetResult();
        var shared = Gather();
        Assert.Equal("snapshot 1", await shared.GetAsync());
        _clock.Ahead = TimeSpan.FromSeconds(1);
        Assert.Equal("snapshot 1", await shared.GetAsync());
        Assert.Equal(1, shared.Gatherings);

        _clock.Ahead = TimeSpan.FromSeconds(3);
        Assert.Equal("snapshot 1", await shared.GetAsync());
        Assert.Equal(2, shared.Gatherings);
        await Poll.UntilAsync(async () => await shared.GetAsync() == "snapshot 2" ? "renewed" : null, "the next gathering to serve");
        Assert.Equal(2, shared.Gatherings);
    }

    [Fact]
    public async Task After_a_failure_or_an_invalidation_the_next_request_waits_for_a_new_gathering()
    {
        _release.SetResult();
        var shared = Gather();
        _fail = true;
        await Assert.ThrowsAsync<TargetFailedException>(shared.GetAsync);
        _fail = false;
        Assert.Equal("snapshot 2", await shared.GetAsync());

        shared.Invalidate();
        Assert.Equal("snapshot 3", await shared.GetAsync());
        Assert.Equal(3, shared.Gatherings);
    }
}
