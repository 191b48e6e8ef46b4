using Engine.Agents.Cli;
using Engine.Agents.Work.Commands;
using Engine.Agents.Work.Model;

namespace Engine.Tests.Unit.Work;

public sealed class WorkCommandLineTests
{
    private static WorkRequest Parse(params string[] args)
    {
        var invocation = CommandLine.Parse(args);
        Assert.Equal(Verb.Work, invocation.Verb);
        return invocation.Work!;
    }

    [Fact]
    public void Cycle_takes_its_options_and_the_config_anywhere()
    {
        var invocation = CommandLine.Parse(["--config", "x/agents.toml", "cycle", "--no-plan", "--max-workers", "2", "--json"]);

        Assert.Equal("x/agents.toml", invocation.ConfigPath);
        var request = invocation.Work!;
        Assert.Equal((WorkVerb.Cycle, true, false, 2, true), (request.Verb, request.NoPlan, request.PlanOnly, request.MaxWorkers, request.Json));
    }

    [Fact]
    public void Task_add_takes_a_title_and_its_dependencies()
    {
        var request = Parse("task", "add", "Fix the login", "--description", "-- see the bug", "--type=fix", "--depends-on", "t3", "4");

        Assert.Equal(WorkVerb.TaskAdd, request.Verb);
        Assert.Equal(("Fix the login", "-- see the bug", "fix"), (request.Title, request.Description, request.Type));
        Assert.Equal([3L, 4L], request.DependsOn);
    }

    [Fact]
    public void The_other_verbs()
    {
        Assert.Equal(7, Parse("task", "show", "t7", "--json").Task);
        Assert.Equal(WorkVerb.TaskCancel, Parse("task", "cancel", "7").Verb);
        Assert.Equal(WorkVerb.TaskRetry, Parse("task", "retry", "t7").Verb);
        Assert.Equal(TaskState.Failed, Parse("tasks", "--state", "failed").State);
        Assert.Equal("flaky gate", Parse("pause", "--reason", "flaky gate").Reason);
        Assert.Equal(WorkVerb.Resume, Parse("resume").Verb);
        Assert.Equal(5, Parse("history", "--limit", "5").Limit);
        Assert.Equal(new DateOnly(2025, 3, 1), Parse("costs", "--since", "2025-03-01").Since);
        Assert.Equal(Verb.Help, CommandLine.Parse(["cycle", "--help"]).Verb);
    }

    [Theory]
    [InlineData("exclude each other", "cycle", "--no-plan", "--plan-only")]
    [InlineData("--reason does not apply to 'cycle'", "cycle", "--reason", "x")]
    [InlineData("--json does not apply to 'pause'", "pause", "--json")]
    [InlineData("task add needs one title", "task", "add")]
    [InlineData("task show needs one task id", "task", "show")]
    [InlineData("'seven' is not a task id", "task", "show", "seven")]
    [InlineData("unknown task command 'remove'", "task", "remove", "t1")]
    [InlineData("task needs what to do", "task")]
    [InlineData("--state 'done' is not a task state", "tasks", "--state", "done")]
    [InlineData("--since 'yesterday' is not a date", "costs", "--since", "yesterday")]
    [InlineData("--max-workers '0' must be a whole number from 1 to 64", "cycle", "--max-workers", "0")]
    [InlineData("--depends-on needs one or more task ids", "task", "add", "x", "--depends-on")]
    [InlineData("resume takes no arguments", "resume", "now")]
    [InlineData("unknown option '--force'", "cycle", "--force")]
    [InlineData("--config is given once", "tasks", "--config", "a", "--config", "b")]
    public void Bad_usage_is_refused_with_a_reason(string reason, params string[] args) =>
        Assert.Contains(reason, Assert.Throws<UsageException>(() => CommandLine.Parse(args)).Message);
}
