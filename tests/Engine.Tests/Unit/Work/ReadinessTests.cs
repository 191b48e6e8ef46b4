using Engine.Agents.Work.Model;
using static Engine.Tests.Unit.Work.Tasks;

namespace Engine.Tests.Unit.Work;

public sealed class ReadinessTests
{
    [Fact]
    public void A_task_is_ready_only_once_everything_it_depends_on_is_merged()
    {
        var readiness = Readiness.Of([
            Task(1, TaskState.Merged),
            Task(2, TaskState.Passed),
            Task(3, after: [1]),
            Task(4, after: [1, 2]),
            Task(5),
        ]);

        Assert.Equal([3, 5], readiness.Ready);
        Assert.Empty(readiness.Block);
        Assert.Empty(readiness.Unblock);
    }

    [Fact]
    public void A_failure_blocks_the_whole_chain_below_it_in_one_pass()
    {
        var readiness = Readiness.Of([
            Task(1, TaskState.Failed),
            Task(2, after: [1]),
            Task(3, after: [2]),
            Task(4),
        ]);

        Assert.Equal([(2L, "t1 is failed"), (3L, "t2 is blocked")], readiness.Block);
        Assert.Equal([4], readiness.Ready);
    }

    [Theory]
    [InlineData("conflict")]
    [InlineData("cancelled")]
    public void Conflict_and_cancel_block_dependents_too(string state) =>
        Assert.Single(Readiness.Of([Task(1, TaskStates.Parse(state)!.Value), Task(2, after: [1])]).Block);

    [Fact]
    public void A_retry_upstream_frees_the_chain_at_once()
    {
        var readiness = Readiness.Of([
            Task(1),
            Task(2, TaskState.Blocked, after: [1]),
            Task(3, TaskState.Blocked, after: [2]),
        ]);

        Assert.Equal([2, 3], readiness.Unblock);
        Assert.Equal([1], readiness.Ready);
    }

    [Fact]
    public void A_task_stays_blocked_while_any_of_its_dependencies_is_a_dead_end()
    {
        var readiness = Readiness.Of([
            Task(1),
            Task(2, TaskState.Cancelled),
            Task(3, TaskState.Blocked, after: [1, 2]),
        ]);

        Assert.Empty(readiness.Unblock);
        Assert.Empty(readiness.Block);
    }

    [Fact]
    public void A_task_added_after_a_blocked_one_is_blocked_too()
    {
        var readiness = Readiness.Of([
            Task(1, TaskState.Failed),
            Task(2, TaskState.Blocked, after: [1]),
            Task(3, after: [2]),
        ]);

        Assert.Equal([(3L, "t2 is blocked")], readiness.Block);
    }
}
