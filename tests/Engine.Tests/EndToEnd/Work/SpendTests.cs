using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

public sealed class SpendTests
{
    [Fact]
    public void Failures_in_a_row_pause_the_project_until_resume()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            max_workers = 1
            pause_after_failures = 2
            """);
        project.Script("work.sh", """
            cat > /dev/null
            [ -e "$AGENTS_PROJECT_DIR/fixed" ] || { echo "not today" >&2; exit 1; }
            echo "$AGENTS_TASK_ID" > "$AGENTS_TASK_ID.txt"
            """);
        var (a, b, c) = (project.Add("a"), project.Add("b"), project.Add("c"));

        var first = project.Run("cycle", "--no-plan");

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("paused: 2 tasks failed in a row, the last t2: the worker failed: the command failed (exit code 1): not today", first.Out);
        Assert.Equal(("failed", "failed", "queued"), (project.StateOf(a), project.StateOf(b), project.StateOf(c)));
        var work = project.Work();
        Assert.True(work.GetProperty("paused").GetBoolean());
        Assert.StartsWith("2 tasks failed in a row", work.GetProperty("pause_reason").GetString());

        var refused = project.Run("cycle", "--no-plan");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("agents: the project is paused: 2 tasks failed in a row", refused.Err);
        Assert.Equal("paused", project.Json("cycle", "--no-plan").GetProperty("outcome").GetString());
        Assert.Single(project.Json("history").EnumerateArray());

        File.WriteAllText(Path.Combine(project.Dir, "fixed"), "");
        Assert.Contains("resumed (it was paused: 2 tasks failed in a row", project.Succeeds("resume").Out);
        project.Succeeds("task", "retry", a);
        Assert.Equal(0, project.Run("cycle", "--no-plan").ExitCode);
        Assert.Equal(("merged", "failed", "merged"), (project.StateOf(a), project.StateOf(b), project.StateOf(c)));
        Assert.False(project.Work().GetProperty("paused").GetBoolean());
    }

    [Fact]
    public void Costs_are_summed_from_result_lines_and_the_daily_budget_stops_dispatch()
    {
        using var project = new WorkProject("""
            backend = "command"
            model = "scripted-1"
            worker_command = ["./work.sh"]
            max_workers = 1
            max_budget_per_day = 0.4
            max_budget_per_task = 0.3
            """);
        project.Script("work.sh", """
            cat > /dev/null
            echo "$AGENTS_MAX_BUDGET_USD" > "$AGENTS_TASK_ID.txt"
            """ + "\n" + ResultLine.Echo(usd: 0.25, input: 1000, output: 200));
        var tasks = new[] { project.Add("one"), project.Add("two"), project.Add("three") };

        var cycle = project.Json("cycle", "--no-plan");

        Assert.Equal("failed", cycle.GetProperty("outcome").GetString());
        Assert.Contains("1 queued task(s) did not start: today's spend $0.50 reached max_budget_per_day $0.40", cycle.GetProperty("message").GetString());
        Assert.Equal(["merged", "merged", "queued"], tasks.Select(project.StateOf));
        Assert.Equal("0.3", project.Git("show", "main:t1.txt"));

        var costs = project.Json("costs");
        var day = Assert.Single(costs.GetProperty("days").EnumerateArray());
        Assert.Equal(("worker", "scripted-1", 2, 0.5), (day.GetProperty("role").GetString(), day.GetProperty("model").GetString(),
            day.GetProperty("runs").GetInt32(), day.GetProperty("cost_usd").GetDouble()));
        Assert.Equal(2400, day.GetProperty("tokens").GetProperty("total").GetInt64());
        Assert.Equal(0.5, costs.GetProperty("cost_usd").GetDouble());
        Assert.Empty(project.Json("costs", "--since", DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd")).GetProperty("days").EnumerateArray());
        Assert.Equal(0.25, project.Task(tasks[0]).GetProperty("cost_usd").GetDouble());
        Assert.Equal(0, project.Task(tasks[2]).GetProperty("cost_usd").GetDouble());
        var work = project.Work();
        Assert.Equal((0.5, 0.5, 2400L), (work.GetProperty("cost_usd_today").GetDouble(), work.GetProperty("cost_usd_total").GetDouble(),
            work.GetProperty("tokens_today").GetInt64()));
        Assert.Contains("total: $0.50, 2400 tokens", project.Succeeds("costs").Out);
    }
}
