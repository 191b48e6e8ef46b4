using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

public sealed class MergeTargetTests
{
    private const string Work = """
        backend = "command"
        worker_command = ["sh", "-c", "cat > /dev/null; echo new > new.txt"]
        """;

    [Fact]
    public void Main_checked_out_with_uncommitted_changes_is_left_alone_and_the_task_waits()
    {
        using var project = new WorkProject(Work);
        File.WriteAllText(Path.Combine(project.Dir, "README.md"), "a person's unsaved edit\n");
        var task = project.Add("Add new");
        var before = project.Git("rev-parse", "main");

        var waiting = project.Run("cycle", "--no-plan");

        Assert.Equal(1, waiting.ExitCode);
        Assert.Equal("passed", project.StateOf(task));
        Assert.Equal($"main is checked out in {project.Dir} with uncommitted changes; commit or stash them, and the next cycle merges",
            project.Task(task).GetProperty("message").GetString());
        Assert.Equal(before, project.Git("rev-parse", "main"));
        Assert.Equal("a person's unsaved edit\n", File.ReadAllText(Path.Combine(project.Dir, "README.md")));
        Assert.Contains($"{task} passed but wait to merge", project.Json("history").EnumerateArray().First().GetProperty("message").GetString());

        project.Git("checkout", "--", "README.md");
        var merged = project.Run("cycle", "--no-plan");

        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Equal("merged", project.StateOf(task));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(project.Dir, "new.txt")));
        Assert.Equal("", project.Git("status", "--porcelain", "--untracked-files=no"));
    }

    /// <summary>A waiting task whose change main got meanwhile adds nothing: no empty copy of its commit lands on main.</summary>
    [Fact]
    public void A_task_whose_change_main_already_holds_merges_without_an_empty_commit()
    {
        using var project = new WorkProject(Work);
        File.WriteAllText(Path.Combine(project.Dir, "README.md"), "a person's unsaved edit\n");
        var task = project.Add("Add new");
        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);
        Assert.Equal("passed", project.StateOf(task));

        project.Git("checkout", "--", "README.md");
        File.WriteAllText(Path.Combine(project.Dir, "new.txt"), "new\n");
        project.Git("add", "new.txt");
        project.Git("commit", "-q", "-m", "The same change, by hand");
        var before = project.Git("rev-parse", "main");
        var merged = project.Run("cycle", "--no-plan");

        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Equal("merged", project.StateOf(task));
        Assert.Equal(before, project.Git("rev-parse", "main"));
    }

    /// <summary>
    /// Tasks that waited for a person's changes merge together once main is clean: with no gate main may move
    /// once for several of them, and still only to commits a task merged at, each worker's commit kept.
    /// </summary>
    [Fact]
    public void Tasks_that_waited_for_a_clean_main_all_merge_in_the_next_cycle_each_commit_kept()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["sh", "-c", "cat > /dev/null; echo \"$AGENTS_TASK_ID\" > \"$AGENTS_TASK_ID.txt\""]
            max_workers = 3
            """);
        File.WriteAllText(Path.Combine(project.Dir, "README.md"), "a person's unsaved edit\n");
        var tasks = new[] { project.Add("a"), project.Add("b"), project.Add("c") };
        var before = project.Git("rev-parse", "main");

        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);
        Assert.All(tasks, t => Assert.Equal("passed", project.StateOf(t)));
        Assert.Equal(before, project.Git("rev-parse", "main"));

        project.Git("checkout", "--", "README.md");
        var merged = project.Run("cycle", "--no-plan");

        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.All(tasks, t => Assert.Equal("merged", project.StateOf(t)));
        Assert.Equal("4", project.Git("rev-list", "--count", "main"));
        Assert.Equal("", project.Git("rev-list", "--merges", "main"));
        Assert.Equal([$"a ({tasks[0]})", $"b ({tasks[1]})", $"c ({tasks[2]})"], project.Git("log", "--reverse", "--format=%s", $"{before}..main").Split('\n'));
        foreach (var task in tasks)
        {
            Assert.Equal(task, File.ReadAllText(Path.Combine(project.Dir, $"{task}.txt")).Trim());
            var commit = project.Task(task).GetProperty("merged_commit").GetString()!;
            Assert.Equal($"{task}.txt", project.Git("diff-tree", "--no-commit-id", "--name-only", "-r", commit));
            Assert.Equal(0, Shell.Run(project.Dir, "git", ["merge-base", "--is-ancestor", commit, "main"]).ExitCode);
        }
        // Main moved only to commits some task merged at.
        var mergedAt = tasks.Select(t => project.Task(t).GetProperty("merged_commit").GetString()).ToHashSet();
        Assert.All(project.Git("reflog", "--format=%H", "refs/heads/main").Split('\n').SkipLast(1), c => Assert.Contains(c, mergedAt));
        Assert.Equal("", project.Git("status", "--porcelain", "--untracked-files=no"));
        Assert.Empty(project.Branches());
    }

    [Fact]
    public void Main_not_checked_out_moves_by_compare_and_swap_and_the_checkout_stays_as_it_is()
    {
        using var project = new WorkProject(Work);
        project.Git("checkout", "-q", "-b", "dev");
        File.WriteAllText(Path.Combine(project.Dir, "README.md"), "work in progress on dev\n");
        var task = project.Add("Add new");

        var cycle = project.Run("cycle", "--no-plan");

        Assert.True(cycle.ExitCode == 0, cycle.ToString());
        Assert.Equal("merged", project.StateOf(task));
        Assert.Equal("new", project.Git("show", "main:new.txt"));
        Assert.Equal("dev", project.Git("branch", "--show-current"));
        Assert.False(File.Exists(Path.Combine(project.Dir, "new.txt")));
        Assert.Equal("work in progress on dev\n", File.ReadAllText(Path.Combine(project.Dir, "README.md")));
        Assert.Contains($"work cycle: merge {task}", project.Git("reflog", "show", "-1", "--format=%gs", "refs/heads/main"));
    }

    /// <summary>Main checked out in another worktree (a person's second checkout) is found there, and treated the same.</summary>
    [Fact]
    public void Main_checked_out_in_another_worktree_waits_while_that_tree_is_dirty_then_fast_forwards_there()
    {
        using var project = new WorkProject(Work);
        project.Git("checkout", "-q", "-b", "dev");
        var elsewhere = Path.Combine(project.Dir, "elsewhere");
        project.Git("worktree", "add", "-q", elsewhere, "main");
        File.WriteAllText(Path.Combine(elsewhere, "README.md"), "a person's edit in the other checkout\n");
        var task = project.Add("Add new");
        var before = project.Git("rev-parse", "main");

        Assert.Equal(1, project.Run("cycle", "--no-plan").ExitCode);

        Assert.Equal("passed", project.StateOf(task));
        Assert.Equal($"main is checked out in {elsewhere} with uncommitted changes; commit or stash them, and the next cycle merges",
            project.Task(task).GetProperty("message").GetString());
        Assert.Equal(before, project.Git("rev-parse", "main"));
        Assert.Equal("a person's edit in the other checkout\n", File.ReadAllText(Path.Combine(elsewhere, "README.md")));

        Shell.Git(elsewhere, "checkout", "--", "README.md");
        var merged = project.Run("cycle", "--no-plan");

        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Equal("merged", project.StateOf(task));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(elsewhere, "new.txt")));
        Assert.Equal("", Shell.Git(elsewhere, "status", "--porcelain"));
        Assert.Equal("dev", project.Git("branch", "--show-current"));
    }
}
