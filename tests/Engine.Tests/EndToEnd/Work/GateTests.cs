using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

public sealed class GateTests
{
    /// <summary>
    /// The gate fails when broken.txt exists, or when x.txt and y.txt both do: each of two tasks passes
    /// alone and fails once the other is merged. Whatever the order, main must only ever point at
    /// commits that pass the gate: every entry of main's reflog is checked out and gated again.
    /// </summary>
    [Fact]
    public void Main_never_moves_to_a_commit_that_fails_the_gate()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            max_workers = 3
            test = ["./gate.sh"]
            lint = ["sh", "-c", "echo lint ok"]
            """);
        project.Commit("gate.sh", """
            #!/bin/sh
            if [ -e broken.txt ]; then echo "broken.txt breaks the build" >&2; exit 1; fi
            if [ -e x.txt ] && [ -e y.txt ]; then echo "x and y clash" >&2; exit 1; fi
            echo "all good"
            """ + "\n", executable: true);
        project.Script("work.sh", """
            cat > /dev/null
            touch "$AGENTS_PROJECT_DIR/$AGENTS_TASK_ID.started"
            case "$AGENTS_TASK_TITLE" in
              "Add x"|"Add y") for _ in $(seq 200); do [ -e "$AGENTS_PROJECT_DIR/t1.started" ] && [ -e "$AGENTS_PROJECT_DIR/t2.started" ] && break; sleep 0.1; done ;;
            esac
            case "$AGENTS_TASK_TITLE" in
              "Add x") echo x > x.txt ;;
              "Add y") echo y > y.txt ;;
              "Break the build") echo oops > broken.txt ;;
              *) echo "$AGENTS_TASK_ID" > "$AGENTS_TASK_ID.txt" ;;
            esac
            """);
        project.Add("Add x");
        project.Add("Add y");
        var breaking = project.Add("Break the build");
        var after = project.Add("Needs the broken one", "--depends-on", breaking);
        var fine = project.Add("Add z");

        var cycle = project.Json("cycle", "--no-plan");

        Assert.Equal("failed", cycle.GetProperty("outcome").GetString());
        Assert.Equal("failed", project.StateOf(breaking));
        var broken = project.Task(breaking);
        Assert.Equal("test failed (exit code 1): broken.txt breaks the build", broken.GetProperty("message").GetString());
        Assert.Contains("broken.txt breaks the build", broken.GetProperty("gate_output").GetString());
        Assert.Equal("blocked", project.StateOf(after));
        Assert.Equal($"blocked: {breaking} is failed", project.Task(after).GetProperty("message").GetString());
        Assert.Equal("merged", project.StateOf(fine));
        var xy = new[] { project.StateOf("t1"), project.StateOf("t2") };
        Assert.Equal(["failed", "merged"], xy.Order());
        var clash = project.Task(xy[0] == "failed" ? "t1" : "t2").GetProperty("message").GetString();
        Assert.Matches("^the gate fails on top of main \\([0-9a-f]{10}\\): test failed \\(exit code 1\\): x and y clash$", clash);

        // Every commit main pointed at since the gate was committed, newest first.
        var gateCommit = project.Git("rev-list", "-1", "main", "--", "gate.sh");
        var reflog = project.Git("reflog", "show", "--format=%H", "refs/heads/main").Split('\n').TakeWhile(c => c != gateCommit).Distinct().ToList();
        Assert.True(reflog.Count >= 2, $"main moved {reflog.Count} times since the gate was committed");
        var check = Path.Combine(project.Dir, "gate-check");
        foreach (var commit in reflog)
        {
            project.Git("worktree", "add", "-q", "--detach", check, commit);
            var gate = Shell.Run(check, Path.Combine(check, "gate.sh"), []);
            Assert.True(gate.ExitCode == 0, $"main was at {commit}, which fails the gate: {gate}");
            project.Git("worktree", "remove", "--force", check);
        }
    }

    [Fact]
    public void A_failed_task_retried_after_a_fix_merges_and_frees_its_dependents()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            test = ["./gate.sh"]
            """);
        project.Commit("gate.sh", "#!/bin/sh\n! grep -q broken feature.txt 2>/dev/null\n", executable: true);
        project.Script("work.sh", """
            cat > /dev/null
            if [ "$AGENTS_TASK_TITLE" = "Feature" ]; then
              if [ -e "$AGENTS_PROJECT_DIR/fixed" ]; then echo works > feature.txt; else echo broken > feature.txt; fi
            else
              echo docs > docs.txt
            fi
            """);
        var feature = project.Add("Feature");
        var docs = project.Add("Document the feature", "--depends-on", feature);

        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);
        Assert.Equal(("failed", "blocked"), (project.StateOf(feature), project.StateOf(docs)));
        Assert.Equal([$"work/{feature}"], project.Branches());

        File.WriteAllText(Path.Combine(project.Dir, "fixed"), "");
        Assert.Contains($"{feature}: queued again", project.Succeeds("task", "retry", feature).Out);
        var second = project.Run("cycle", "--no-plan");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"{docs}: queued again: what it depends on can merge again", second.Out);
        Assert.Equal(("merged", "merged"), (project.StateOf(feature), project.StateOf(docs)));
        Assert.Equal(2, project.Task(feature).GetProperty("attempts").GetInt32());
        Assert.Equal("works", project.Git("show", "main:feature.txt"));
        Assert.Empty(project.Branches());
    }

    [Fact]
    public void With_ai_review_the_reviewer_judges_the_diff_after_the_gate()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            reviewer_command = ["./review.sh"]
            ai_review = true
            test = ["sh", "-c", "echo tests pass"]
            """);
        project.Engine.Write("prompts/work/reviewer.md", "You review this project's changes for leaked secrets.\n");
        project.Script("work.sh", """
            cat > /dev/null
            case "$AGENTS_TASK_TITLE" in
              "Add notes") echo "fine" > notes.txt ;;
              *) echo "secret=1" > key.txt ;;
            esac
            """);
        project.Script("review.sh", """
            tee "$AGENTS_PROJECT_DIR/review-$AGENTS_TASK_ID.txt" | grep -q '^+secret' \
              && echo '{"verdict": "fail", "reasons": ["it leaks a secret"]}' \
              || echo 'Looks right. {"verdict": "pass", "reasons": ["small and clear"]}'
            """);
        var notes = project.Add("Add notes");
        var key = project.Add("Add a key");

        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);

        Assert.Equal(("merged", "failed"), (project.StateOf(notes), project.StateOf(key)));
        var failed = project.Task(key);
        Assert.Equal("review failed: it leaks a secret", failed.GetProperty("message").GetString());
        var reasons = failed.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.StartsWith("test passed in", reasons[0]);
        Assert.Equal("review failed: it leaks a secret", reasons[1]);
        Assert.Contains("review: small and clear", project.Task(notes).GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        var prompt = File.ReadAllText(Path.Combine(project.Dir, $"review-{key}.txt"));
        Assert.StartsWith("You review this project's changes for leaked secrets.", prompt);
        Assert.Contains("+secret=1", prompt);
        Assert.Equal(["reviewer", "worker"], failed.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("role").GetString()).Order());
    }

    [Fact]
    public void A_worker_that_leaves_its_branch_fails_and_nothing_of_it_reaches_main()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["sh", "-c", "cat > /dev/null; git checkout -q -b shortcut && echo x > x.txt && git add x.txt && git commit -qm sneaky"]
            """);
        var task = project.Add("Stay on your branch");
        var main = project.Git("rev-parse", "main");

        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);

        Assert.Equal("failed", project.StateOf(task));
        Assert.Equal($"the worker left its branch work/{task} (its worktree is on refs/heads/shortcut); a worker works on its own branch only",
            project.Task(task).GetProperty("message").GetString());
        Assert.Equal(main, project.Git("rev-parse", "main"));
    }
}
