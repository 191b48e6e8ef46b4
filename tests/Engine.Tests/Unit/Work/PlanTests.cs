using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Model;
using static Engine.Tests.Unit.Work.Tasks;

namespace Engine.Tests.Unit.Work;

public sealed class PlanTests
{
    private static IReadOnlyList<PlannedTask> Read(string text)
    {
        var tasks = Plan.Read([text], out var problem);
        Assert.True(tasks is not null, problem);
        return tasks;
    }

    private static string ProblemOf(string text)
    {
        Assert.Null(Plan.Read([text], out var problem));
        return problem!;
    }

    [Fact]
    public void The_first_object_with_a_tasks_array_is_found_in_prose_and_fences()
    {
        var tasks = Read("""
            I looked around ({"note": "not this one"}).
            ```json
            {"tasks": [{"title": " Add a ", "description": "write a", "type": "feature"}, {"title": "Add b", "depends_on": [0, "t4"]}]}
            ```
            {"tasks": [{"title": "a later list is ignored"}]}
            """);

        Assert.Equal(2, tasks.Count);
        Assert.Equal(new PlannedTask("Add a", "write a", "feature", [], []), tasks[0] with { AfterIndexes = [], AfterTasks = [] });
        Assert.Equal([0], tasks[1].AfterIndexes);
        Assert.Equal([4L], tasks[1].AfterTasks);
    }

    [Fact]
    public void An_empty_list_is_a_plan_of_nothing() => Assert.Empty(Read("{\"tasks\": []}"));

    [Theory]
    [InlineData("nothing to do", "no JSON object with a \"tasks\" array")]
    [InlineData("{\"tasks\": [{\"description\": \"no title\"}]}", "planned task 0 has no title")]
    [InlineData("{\"tasks\": [\"just a string\"]}", "planned task 0 is not an object")]
    [InlineData("{\"tasks\": [{\"title\": \"x\", \"depends_on\": [true]}]}", "depends_on holds true")]
    [InlineData("{\"tasks\": [{\"title\": \"x\", \"depends_on\": 0}]}", "depends_on must be a list")]
    public void Malformed_plans_are_refused_with_a_reason(string text, string reason) => Assert.Contains(reason, ProblemOf(text));

    [Fact]
    public void A_dependency_cycle_is_refused_naming_it()
    {
        var planned = Read("{\"tasks\": [{\"title\": \"a\", \"depends_on\": [1]}, {\"title\": \"b\", \"depends_on\": [0]}]}");

        var plan = Plan.Resolve(planned, [], out var problem);

        Assert.Empty(plan.New);
        Assert.Equal("the planned tasks depend on each other in a cycle: 0 ('a') -> 1 ('b') -> 0 ('a')", problem);
    }

    [Theory]
    [InlineData("{\"tasks\": [{\"title\": \"a\", \"depends_on\": [0]}]}", "planned task 0 ('a') depends on itself")]
    [InlineData("{\"tasks\": [{\"title\": \"a\", \"depends_on\": [3]}]}", "depends on index 3, but the list has 1 tasks")]
    [InlineData("{\"tasks\": [{\"title\": \"a\", \"depends_on\": [\"t99\"]}]}", "depends on t99, which does not exist")]
    public void Dependencies_must_point_somewhere_real(string text, string reason)
    {
        Plan.Resolve(Read(text), [Task(1)], out var problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void A_failed_task_emitted_again_as_it_was_is_dropped_and_its_dependents_wait_on_the_original()
    {
        var existing = new[] { Task(7, TaskState.Failed, title: "Add a", description: "write  a"), Task(8, TaskState.Merged, title: "Add z") };
        var planned = Read("""{"tasks": [{"title": "add A", "description": "write a"}, {"title": "Add b", "depends_on": [0]}, {"title": "Add z"}]}""");

        var plan = Plan.Resolve(planned, existing, out var problem);

        Assert.Null(problem);
        Assert.Equal(["Add b", "Add z"], plan.New.Select(t => t.Title));
        Assert.Empty(plan.New[0].AfterIndexes);
        Assert.Equal([7L], plan.New[0].AfterTasks);
        Assert.Equal("'add A' repeats t7 (failed) as it was; not added", Assert.Single(plan.Dropped));
    }

    [Fact]
    public void A_failed_task_planned_anew_with_another_approach_is_kept()
    {
        var plan = Plan.Resolve(Read("""{"tasks": [{"title": "Add a", "description": "write a, smaller this time"}]}"""),
            [Task(7, TaskState.Failed, title: "Add a", description: "write a")], out _);

        Assert.Single(plan.New);
        Assert.Empty(plan.Dropped);
    }

    [Fact]
    public void Indexes_shift_past_dropped_repeats()
    {
        var plan = Plan.Resolve(Read("""{"tasks": [{"title": "old"}, {"title": "b"}, {"title": "c", "depends_on": [1]}]}"""),
            [Task(3, TaskState.Queued, title: "old")], out _);

        Assert.Equal(["b", "c"], plan.New.Select(t => t.Title));
        Assert.Equal([0], plan.New[1].AfterIndexes);
    }
}
