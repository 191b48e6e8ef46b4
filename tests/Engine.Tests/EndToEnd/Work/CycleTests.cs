using System.Text.Json;
using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

public sealed class CycleTests
{
    [Fact]
    public void A_planned_task_that_depends_on_another_starts_only_once_that_one_is_merged()
    {
        using var project = new WorkProject("""
            backend = "command"
            planner_command = ["./plan.sh"]
            worker_command = ["./work.sh"]
            max_workers = 2
            context = ["README.md", "NOTES.md"]
            """);
        project.Script("plan.sh", """
            cat > "$AGENTS_PROJECT_DIR/planner-prompt.txt"
            echo 'I read the README. Here is the plan:'
            echo '{"tasks": [{"title": "Add a", "description": "write a.txt", "type": "feature"}, {"title": "Add b", "description": "needs a.txt", "depends_on": [0]}]}'
            """ + "\n" + ResultLine.Echo(usd: 0.05, result: "planned two tasks"));
        project.Script("work.sh", """
            cat > /dev/null
            case "$AGENTS_TASK_TITLE" in
              "Add a") echo a > a.txt ;;
              "Add b") test -e a.txt || { echo "a.txt is not merged yet" >&2; exit 1; }; echo b > b.txt ;;
            esac
            """ + "\n" + ResultLine.Echo(usd: 0.1));

        var cycle = project.Json("cycle");

        Assert.Equal("succeeded", cycle.GetProperty("outcome").GetString());
        Assert.Equal(["t1", "t2"], Ids(cycle, "planned"));
        Assert.Equal(["t1", "t2"], Ids(cycle, "merged"));
        Assert.Equal(0.25, cycle.GetProperty("cost_usd").GetDouble(), 6);

        // Linear history: main fast-forwarded to each task's commit in turn, the second made on top of the first.
        Assert.Equal(["Add b (t2)", "Add a (t1)", "add README.md"], project.Git("log", "--format=%s", "main").Split('\n'));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(project.Dir, "b.txt")));
        Assert.Equal([project.Dir], project.Worktrees());
        Assert.Empty(project.Branches());

        var tasks = project.Json("tasks");
        var second = tasks.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "t2");
        Assert.Equal("merged", second.GetProperty("state").GetString());
        Assert.Equal(["t1"], second.GetProperty("depends_on").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("work/t2", second.GetProperty("branch").GetString());
        Assert.Equal(0.1, second.GetProperty("cost_usd").GetDouble(), 6);
        Assert.Equal(120, second.GetProperty("tokens").GetProperty("total").GetInt64());

        var show = project.Task("t2");
        Assert.Equal(["queued", "running", "passed", "merged"], show.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("state").GetString()));
        Assert.Equal("1 file changed, 1 insertion(+)", show.GetProperty("diff_stat").GetString());
        Assert.Equal("pass", show.GetProperty("verdict").GetString());

        var prompt = File.ReadAllText(Path.Combine(project.Dir, "planner-prompt.txt"));
        Assert.Contains("You are the planner", prompt);
        Assert.Contains("A tiny project.", prompt);
        Assert.Contains("## NOTES.md\n\n(this file does not exist)", prompt);

        var audit = Path.Combine(project.Dir, ".ao-state", "work", "audit");
        Assert.Equal(["cycle-1-plan.md", "t1-verdict-1.md", "t1-worker-1.md", "t2-verdict-1.md", "t2-worker-1.md"],
            Directory.GetFiles(audit).Select(Path.GetFileName).Order());

        var history = Assert.Single(project.Json("history").EnumerateArray());
        Assert.Equal(("succeeded", 2, 2, 0), (history.GetProperty("state").GetString(), history.GetProperty("planned").GetInt32(),
            history.GetProperty("merged").GetInt32(), history.GetProperty("failed").GetInt32()));
        Assert.Equal("t2", project.Git("log", "-1", "--format=%s", "main").Split(' ')[^1].Trim('(', ')'));
    }

    [Fact]
    public void The_planner_reads_the_backlog_open_tasks_and_outcomes_and_a_plan_only_cycle_stores_its_plan_without_dispatch()
    {
        using var project = new WorkProject("""
            backend = "command"
            planner_command = ["./plan.sh"]
            worker_command = ["sh", "-c", "cat > /dev/null; echo 'no luck' >&2; exit 1"]
            backlog = "BACKLOG.md"
            """);
        project.Commit("BACKLOG.md", "- make the logo bigger\n");
        project.Script("plan.sh", """
            cat > "$AGENTS_PROJECT_DIR/planner-prompt.txt"
            if [ -e "$AGENTS_PROJECT_DIR/cyclic" ]; then
              echo '{"tasks": [{"title": "a", "depends_on": [1]}, {"title": "b", "depends_on": [0]}]}'
            else
              echo '{"tasks": [{"title": "Broken thing"}, {"title": "Bigger logo", "description": "see the backlog", "depends_on": [0]}]}'
            fi
            """);
        var broken = project.Add("Broken thing");
        var waiting = project.Add("Waiting thing", "--depends-on", broken);
        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);

        var plan = project.Json("cycle", "--plan-only");

        Assert.Equal("succeeded", plan.GetProperty("outcome").GetString());
        Assert.Equal(["t3"], Ids(plan, "planned"));
        Assert.Empty(Ids(plan, "dispatched"));
        var prompt = File.ReadAllText(Path.Combine(project.Dir, "planner-prompt.txt"));
        Assert.Contains("# Backlog\n\n## BACKLOG.md\n\n- make the logo bigger\n", prompt);
        Assert.Contains($"# Open tasks\n\n- {waiting} [blocked] Waiting thing (after {broken})\n", prompt);
        Assert.Contains($"# Recent outcomes\n\n- {broken} [failed] Broken thing: the worker failed: the command failed (exit code 1): no luck\n", prompt);
        // The failed task emitted again as it was is not added; what depended on it waits on the original.
        var added = project.Task("t3");
        Assert.Equal(("Bigger logo", "queued"), (added.GetProperty("title").GetString(), added.GetProperty("state").GetString()));
        Assert.Equal([broken], added.GetProperty("depends_on").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("dropped", File.ReadAllText(Path.Combine(project.Dir, ".ao-state", "work", "audit", "cycle-2-plan.md")));

        File.WriteAllText(Path.Combine(project.Dir, "cyclic"), "");
        var refused = project.Run("cycle", "--plan-only");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("plan: plan refused: the planned tasks depend on each other in a cycle: 0 ('a') -> 1 ('b') -> 0 ('a')", refused.Out);
        Assert.Equal(3, project.Json("tasks").GetArrayLength());
    }

    [Fact]
    public void Two_tasks_that_conflict_are_settled_by_the_resolver_and_both_merge()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            resolver_command = ["./resolve.sh"]
            max_workers = 2
            test = ["./gate.sh"]
            """);
        project.Commit("shared.txt", "base\n");
        project.Commit("gate.sh", "#!/bin/sh\n! grep -q '^<<<<<<<' shared.txt\n", executable: true);
        project.Script("work.sh", BothStartFromTheSameMain + """
            echo "$AGENTS_TASK_TITLE" > shared.txt
            """);
        project.Script("resolve.sh", """
            cat > "$AGENTS_PROJECT_DIR/resolver-prompt.txt"
            printf 'from A\nfrom B\n' > shared.txt
            """);
        project.Add("from A");
        project.Add("from B");

        var cycle = project.Json("cycle", "--no-plan");

        Assert.Equal("succeeded", cycle.GetProperty("outcome").GetString());
        Assert.Equal("from A\nfrom B\n", project.Git("show", "main:shared.txt") + "\n");
        Assert.Contains("- shared.txt", File.ReadAllText(Path.Combine(project.Dir, "resolver-prompt.txt")));
        // README, shared.txt, gate.sh, then one commit per task on top: no merge commits.
        Assert.Equal("5", project.Git("rev-list", "--count", "main"));
        Assert.Equal("", project.Git("rev-list", "--merges", "main"));
        Assert.Empty(project.Branches());
    }

    /// <summary>
    /// With no gate, the second task is put on top of the main the first one moved without a rebase in its
    /// worktree: every commit of the worker kept, with its author, date and message, and no merge commits.
    /// </summary>
    [Fact]
    public void Without_a_gate_a_branch_goes_on_top_of_main_with_every_commit_of_its_worker_kept()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            max_workers = 2
            """);
        project.Script("work.sh", BothStartFromTheSameMain + """
            export GIT_AUTHOR_NAME="Worker $AGENTS_TASK_TITLE" GIT_AUTHOR_DATE="1600000000 +0200"
            echo one > "$AGENTS_TASK_ID.one"
            git add . && git commit -qm "$AGENTS_TASK_TITLE: one" -m "Its body."
            echo two > "$AGENTS_TASK_ID.two"
            git add . && git commit -qm "$AGENTS_TASK_TITLE: two"
            echo left > "$AGENTS_TASK_ID.left"
            """);
        var (a, b) = (project.Add("a"), project.Add("b"));

        var cycle = project.Run("cycle", "--no-plan");

        Assert.True(cycle.ExitCode == 0, cycle.ToString());
        Assert.DoesNotContain("the gate runs again", cycle.Out);
        // README, then per task the worker's two commits and the one the cycle made of what it left.
        Assert.Equal("7", project.Git("rev-list", "--count", "main"));
        Assert.Equal("", project.Git("rev-list", "--merges", "main"));
        foreach (var (id, title) in new[] { (a, "a"), (b, "b") })
        {
            Assert.Equal($"Worker {title} 1600000000 +0200|{title}: one|Its body.",
                project.Git("log", "-1", "--date=raw", "--format=%an %ad|%s|%b", "--grep", $"^{title}: one$", "main"));
            Assert.Equal($"Worker {title}", project.Git("log", "-1", "--format=%an", "--grep", $"^{title}: two$", "main"));
            foreach (var file in new[] { "one", "two", "left" })
                Assert.Equal(file, project.Git("show", $"main:{id}.{file}"));
        }
        Assert.Equal("", project.Git("status", "--porcelain", "--untracked-files=no"));
        Assert.Empty(project.Branches());
        Assert.Equal([project.Dir], project.Worktrees());
    }

    /// <summary>A merge commit among the worker's commits: the branch is rebased (as a gate would need), and main stays a line.</summary>
    [Fact]
    public void Without_a_gate_a_branch_with_a_merge_commit_is_rebased_into_a_line()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            max_workers = 2
            """);
        project.Script("work.sh", BothStartFromTheSameMain + """
            git checkout -qb "side-$AGENTS_TASK_ID"
            echo side > "$AGENTS_TASK_ID.side"
            git add . && git commit -qm "$AGENTS_TASK_TITLE: side"
            git checkout -q -
            echo main > "$AGENTS_TASK_ID.main"
            git add . && git commit -qm "$AGENTS_TASK_TITLE: main"
            git merge -q --no-edit "side-$AGENTS_TASK_ID"
            git branch -qD "side-$AGENTS_TASK_ID"
            """);
        var (a, b) = (project.Add("a"), project.Add("b"));

        var cycle = project.Run("cycle", "--no-plan");

        Assert.True(cycle.ExitCode == 0, cycle.ToString());
        foreach (var id in new[] { a, b })
        {
            Assert.Equal("side", project.Git("show", $"main:{id}.side"));
            Assert.Equal("main", project.Git("show", $"main:{id}.main"));
        }
        // The first merged as its worker left it (main had not moved); the second was rebased: no merge commit of its own.
        Assert.Single(project.Git("rev-list", "--merges", "main").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(project.Branches());
    }

    [Fact]
    public void A_conflict_the_resolver_cannot_settle_keeps_the_branch_for_a_person()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            resolver_command = ["sh", "-c", "echo 'I give up' >&2; exit 3"]
            max_workers = 2
            """);
        project.Commit("shared.txt", "base\n");
        project.Script("work.sh", BothStartFromTheSameMain + """
            echo "$AGENTS_TASK_TITLE" > shared.txt
            git commit -qam "$AGENTS_TASK_TITLE, by the worker itself"
            """);
        project.Add("from A");
        project.Add("from B");

        var cycle = project.Json("cycle", "--no-plan");

        Assert.Equal("failed", cycle.GetProperty("outcome").GetString());
        var loser = Assert.Single(Ids(cycle, "failed"));
        Assert.Equal("conflict", project.StateOf(loser));
        Assert.Contains("the resolver failed: the command failed (exit code 3): I give up", project.Task(loser).GetProperty("message").GetString());
        // Its branch is what the worker made, kept for a person; its worktree is gone.
        Assert.Equal([$"work/{loser}"], project.Branches());
        Assert.EndsWith(", by the worker itself", project.Git("log", "-1", "--format=%s", $"work/{loser}"));
        Assert.Equal([project.Dir], project.Worktrees());
        Assert.Equal(1, project.Work().GetProperty("tasks").GetProperty("conflict").GetInt32());
    }

    [Fact]
    public void Max_workers_on_the_command_line_overrides_the_config()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            max_workers = 1
            """);
        project.Script("work.sh", BothStartFromTheSameMain + """
            ls "$AGENTS_PROJECT_DIR"/*.started | wc -l | tr -d ' ' > "$AGENTS_TASK_ID.seen"
            """);
        var (a, b) = (project.Add("a"), project.Add("b"));

        var cycle = project.Run("cycle", "--no-plan", "--max-workers", "2");

        Assert.True(cycle.ExitCode == 0, cycle.ToString());
        Assert.Contains("up to 2 workers", cycle.Out);
        // Each saw the other started: they ran side by side, not one after the other.
        Assert.Equal(("2", "2"), (project.Git("show", $"main:{a}.seen"), project.Git("show", $"main:{b}.seen")));
    }

    /// <summary>Each worker waits until the other has started, so both branches are made from the same main.</summary>
    private const string BothStartFromTheSameMain = """
        cat > /dev/null
        touch "$AGENTS_PROJECT_DIR/$AGENTS_TASK_ID.started"
        for _ in $(seq 200); do [ "$(ls "$AGENTS_PROJECT_DIR"/*.started | wc -l)" -ge 2 ] && break; sleep 0.1; done

        """;

    private static IReadOnlyList<string> Ids(JsonElement result, string list) =>
        result.GetProperty(list).EnumerateArray().Select(e => e.GetString()!).ToList();
}
