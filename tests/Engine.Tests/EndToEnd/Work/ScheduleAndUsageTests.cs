using System.Text.Json;
using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

public sealed class ScheduleAndUsageTests
{
    [Fact]
    public void With_an_interval_the_watchdog_starts_cycles_and_a_pause_stops_them()
    {
        using var project = new WorkProject("""
            backend = "command"
            planner_command = ["./plan.sh"]
            worker_command = ["sh", "-c", "cat > /dev/null; echo scheduled > scheduled.txt"]
            interval = "1s"
            """, watchdogIntervalSeconds: 0.2);
        project.Script("plan.sh", """
            cat > /dev/null
            if [ -e "$AGENTS_PROJECT_DIR/planned" ]; then echo '{"tasks": []}'; exit 0; fi
            touch "$AGENTS_PROJECT_DIR/planned"
            echo '{"tasks": [{"title": "Work while nobody watches"}]}'
            """);

        project.Succeeds("up");
        EngineProject.WaitUntil(() => project.Json("tasks").EnumerateArray().Any(t => t.GetProperty("state").GetString() == "merged"),
            TimeSpan.FromSeconds(60), "a scheduled cycle to merge the planned task");
        EngineProject.WaitUntil(() => project.Json("history").GetArrayLength() >= 2, TimeSpan.FromSeconds(30), "a second scheduled cycle");

        Assert.All(project.Json("history").EnumerateArray(), c => Assert.Equal("scheduled", c.GetProperty("trigger").GetString()));
        Assert.Contains("started a scheduled cycle", File.ReadAllText(Path.Combine(project.Dir, ".ao-state", "watchdog.log")));
        Assert.Equal("scheduled", project.Git("show", "main:scheduled.txt"));

        project.Succeeds("pause", "--reason", "enough for today");
        EngineProject.WaitUntil(() => project.Work().GetProperty("cycle").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(30), "the last cycle to end");
        var count = project.Json("history").GetArrayLength();
        Thread.Sleep(TimeSpan.FromSeconds(2.5));
        Assert.Equal(count, project.Json("history").GetArrayLength());
        Assert.Contains("scheduled cycle skipped: the project is paused", File.ReadAllText(Path.Combine(project.Dir, ".ao-state", "watchdog.log")));
    }

    [Fact]
    public void Work_commands_without_a_work_table_say_how_to_add_one_and_status_has_no_work()
    {
        using var project = new EngineProject("""
            [[agent]]
            name = "idle"
            backend = "command"
            command = ["sleep", "1000"]
            """);

        var cycle = project.Run("cycle");

        Assert.Equal(1, cycle.ExitCode);
        Assert.Equal("agents.toml: no [work] table; add one to run work cycles, e.g. [work] with backend = \"claude\" (see engine/README.md, 'Work cycles')\n", cycle.Err);
        Assert.Equal(JsonValueKind.Null, project.Status().GetProperty("work").ValueKind);
    }

    [Fact]
    public void A_cycle_that_cannot_start_names_every_problem()
    {
        using var project = new EngineProject("""
            [work]
            backend = "command"
            worker_command = ["./missing.sh"]
            test = ["no-such-test-runner"]
            """);
        Shell.Git(project.Dir, "init", "-q", "-b", "main");

        var cycle = project.Run("cycle");

        Assert.Equal(1, cycle.ExitCode);
        var lines = cycle.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("the repository has no branch 'main' (nor 'master') with a commit"));
        Assert.Contains(lines, l => l.Contains("[work] has no planner_command; add one, or run 'agents cycle --no-plan'"));
        Assert.Contains(lines, l => l.Contains($"the worker's program {Path.Combine(project.Dir, "missing.sh")} does not exist"));
        Assert.Contains(lines, l => l.Contains("test: 'no-such-test-runner' is not on PATH"));
        Assert.Equal("agents: the cycle did not start: 4 problem(s)", lines[^1]);
        Assert.All(lines, l => Assert.DoesNotContain("   at ", l));
    }

    [Theory]
    [InlineData("task", "add", "x", "--depends-on", "t9")]
    [InlineData("task", "show", "t9")]
    [InlineData("tasks", "--state", "done")]
    [InlineData("cycle", "--no-plan", "--plan-only")]
    [InlineData("costs", "--since", "last week")]
    public void Bad_usage_exits_2_with_one_line(params string[] args)
    {
        using var project = new EngineProject("[work]\nbackend = \"command\"\nworker_command = [\"true\"]\n");

        var outcome = project.Run(args);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Single(outcome.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
