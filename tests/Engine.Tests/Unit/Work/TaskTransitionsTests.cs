using Engine.Agents.Work.Model;

namespace Engine.Tests.Unit.Work;

public sealed class TaskTransitionsTests
{
    [Theory]
    [InlineData("Queued", "Start", "Running")]
    [InlineData("Running", "Pass", "Passed")]
    [InlineData("Running", "Fail", "Failed")]
    [InlineData("Running", "Requeue", "Queued")]
    [InlineData("Passed", "Merge", "Merged")]
    [InlineData("Passed", "Fail", "Failed")]
    [InlineData("Passed", "Conflict", "Conflict")]
    [InlineData("Passed", "Requeue", "Queued")]
    [InlineData("Queued", "Block", "Blocked")]
    [InlineData("Blocked", "Unblock", "Queued")]
    [InlineData("Failed", "Retry", "Queued")]
    [InlineData("Conflict", "Retry", "Queued")]
    [InlineData("Cancelled", "Retry", "Queued")]
    [InlineData("Running", "Cancel", "Cancelled")]
    public void A_legal_move_lands_where_the_table_says(string from, string happening, string to) =>
        Assert.Equal(State(to), TaskTransitions.Next(State(from), Event(happening)));

    private static TaskState State(string name) => Enum.Parse<TaskState>(name);

    private static TaskEvent Event(string name) => Enum.Parse<TaskEvent>(name);

    [Fact]
    public void A_merged_task_never_moves_again()
    {
        foreach (var happening in Enum.GetValues<TaskEvent>())
            Assert.Null(TaskTransitions.Next(TaskState.Merged, happening));
    }

    [Fact]
    public void Every_state_but_merged_and_cancelled_can_be_cancelled()
    {
        foreach (var state in TaskStates.All)
            Assert.Equal(state is not (TaskState.Merged or TaskState.Cancelled), TaskTransitions.Next(state, TaskEvent.Cancel) == TaskState.Cancelled);
    }

    [Fact]
    public void A_worker_reporting_on_a_task_cancelled_meanwhile_changes_nothing()
    {
        Assert.Null(TaskTransitions.Next(TaskState.Cancelled, TaskEvent.Pass));
        Assert.Null(TaskTransitions.Next(TaskState.Cancelled, TaskEvent.Fail));
        Assert.Null(TaskTransitions.Next(TaskState.Cancelled, TaskEvent.Requeue));
    }

    [Theory]
    [InlineData("Merged", "Cancel", "t3 is merged; nothing to cancel")]
    [InlineData("Cancelled", "Cancel", "t3 is already cancelled")]
    [InlineData("Blocked", "Retry", "retry that one")]
    [InlineData("Running", "Retry", "t3 is running; only a failed, conflict or cancelled task is retried")]
    public void A_refused_request_says_why(string from, string request, string reason)
    {
        Assert.Null(TaskTransitions.Next(State(from), Event(request)));
        Assert.Contains(reason, TaskTransitions.Refusal("t3", State(from), Event(request)));
    }

    [Theory]
    [InlineData("t7", 7L)]
    [InlineData("7", 7L)]
    [InlineData("T12", 12L)]
    [InlineData("t", null)]
    [InlineData("t0", null)]
    [InlineData("x7", null)]
    [InlineData("t-1", null)]
    public void Task_ids_read_with_or_without_their_t(string text, long? number) => Assert.Equal(number, TaskId.Parse(text));

    [Fact]
    public void State_names_round_trip()
    {
        foreach (var state in TaskStates.All)
            Assert.Equal(state, TaskStates.Parse(state.Name()));
        Assert.Null(TaskStates.Parse("done"));
    }
}
