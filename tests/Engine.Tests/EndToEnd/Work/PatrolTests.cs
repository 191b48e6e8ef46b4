using System.Text.Json;
using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

public sealed class PatrolTests
{
    /// <summary>On its first attempt it leaves half its work and hangs (its pid in first.pid); it finishes once second-attempt exists.</summary>
    private const string HangsUntilTheSecondAttempt = """
        cat > /dev/null
        if [ ! -e "$AGENTS_PROJECT_DIR/second-attempt" ]; then
          echo $$ > "$AGENTS_PROJECT_DIR/first.pid"
          echo half > half-done.txt
          exec sleep 1000
        fi
        echo done > done.txt
        """;

    [Fact]
    public void A_worker_past_its_timeout_is_stopped_with_everything_it_started()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            task_timeout = "2s"
            """);
        // It ignores SIGTERM, and leaves a child in a session of its own: only the marker finds both.
        project.Script("work.sh", """
            trap '' TERM
            echo $$ > "$AGENTS_PROJECT_DIR/worker.pid"
            setsid sh -c 'echo $$ > "$AGENTS_PROJECT_DIR/child.pid"; exec sleep 1000' &
            echo "thinking"
            sleep 1000
            """);
        project.PidFile("worker.pid");
        project.PidFile("child.pid");
        var task = project.Add("Hang");

        var cycle = project.Run("cycle", "--no-plan");

        Assert.Equal(1, cycle.ExitCode);
        var worker = int.Parse(File.ReadAllText(Path.Combine(project.Dir, "worker.pid")));
        var child = int.Parse(File.ReadAllText(Path.Combine(project.Dir, "child.pid")));
        Assert.False(Processes.IsAlive(worker), "the worker outlived its timeout");
        Assert.False(Processes.IsAlive(child), "the worker's detached child outlived the timeout");
        Assert.Equal("failed", project.StateOf(task));
        Assert.StartsWith("the worker failed: timed out after 2s (task_timeout)", project.Task(task).GetProperty("message").GetString());
        var run = Assert.Single(project.Task(task).GetProperty("runs").EnumerateArray());
        Assert.Equal("timed_out", run.GetProperty("outcome").GetString());
    }

    [Fact]
    public void A_quiet_worker_shows_stale_but_is_never_stopped_for_it()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            task_timeout = "1m"
            stale_after = "1s"
            stopped_after = "1h"
            """);
        project.Script("work.sh", """
            cat > /dev/null
            echo "starting a long tool call"
            while [ ! -e "$AGENTS_PROJECT_DIR/go" ]; do sleep 0.1; done
            echo done > done.txt
            """);
        var task = project.Add("Think for a while");

        var cycle = project.Start("cycle", "--no-plan");
        var liveness = EngineProject.WaitFor(() => project.Json("tasks").EnumerateArray().Single().GetProperty("liveness") is { ValueKind: JsonValueKind.String } l
            && l.GetString() == "stale" ? true : (bool?)null, TimeSpan.FromSeconds(30), "the quiet worker to show stale");
        Assert.True(liveness);
        var work = project.Work();
        Assert.Equal("stale", work.GetProperty("cycle").GetProperty("liveness").GetString());
        Assert.Equal(("stale", 1.0, 3600.0), (work.GetProperty("liveness").GetString(), work.GetProperty("stale_after_seconds").GetDouble(),
            work.GetProperty("stopped_after_seconds").GetDouble()));
        File.WriteAllText(Path.Combine(project.Dir, "go"), "");

        Assert.True(cycle.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, cycle.ExitCode);
        Assert.Equal("merged", project.StateOf(task));
    }

    [Fact]
    public void A_cycle_killed_mid_task_is_picked_up_by_the_next_which_finishes_the_task()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            """);
        project.Script("work.sh", HangsUntilTheSecondAttempt);
        var task = project.Add("Survive a crash");

        var first = project.Start("cycle", "--no-plan");
        var orphan = project.WaitForPid("first.pid", TimeSpan.FromSeconds(30));
        first.Kill();
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(10)));

        // What the crash left: the task recorded as running, the cycle as running but stopped, the worker orphaned.
        Assert.Equal("running", project.StateOf(task));
        var work = project.Work();
        Assert.Equal("stopped", work.GetProperty("cycle").GetProperty("liveness").GetString());
        Assert.Equal("stopped", work.GetProperty("liveness").GetString());
        Assert.Equal(1, work.GetProperty("tasks").GetProperty("running").GetInt32());
        Assert.True(Processes.IsAlive(orphan));
        // The orphaned worker still lives, but nothing will take its work: its task shows stopped.
        Assert.Equal("stopped", project.Json("tasks").EnumerateArray().Single().GetProperty("liveness").GetString());
        Assert.Equal("stopped", project.Task(task).GetProperty("liveness").GetString());
        Assert.Contains(Path.Combine(project.Dir, ".ao-state", "work", "worktrees", task), project.Worktrees());

        File.WriteAllText(Path.Combine(project.Dir, "second-attempt"), "");
        var second = project.Run("cycle", "--no-plan");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("had ended without finishing", second.Out);
        Assert.Contains($"{task}: was left running by cycle 1; queued again", second.Out);
        Assert.False(Processes.IsAlive(orphan), "the crashed cycle's worker is still running");
        Assert.Equal("merged", project.StateOf(task));
        Assert.Equal(2, project.Task(task).GetProperty("attempts").GetInt32());
        // A fresh branch from main: nothing of the first attempt's half-done work.
        Assert.Equal("", project.Git("ls-tree", "--name-only", "main", "half-done.txt"));
        Assert.Equal([project.Dir], project.Worktrees());
        var cycles = project.Json("history").EnumerateArray().ToList();
        Assert.Equal(["succeeded", "aborted"], cycles.Select(c => c.GetProperty("state").GetString()));
        Assert.Contains("ended before the cycle did", cycles[1].GetProperty("message").GetString());
        var settled = project.Work();
        Assert.Equal(JsonValueKind.Null, settled.GetProperty("cycle").ValueKind);
        Assert.Equal("stopped", settled.GetProperty("liveness").GetString());
        Assert.Equal(cycles[0].GetProperty("ended").GetDateTimeOffset(), settled.GetProperty("heartbeat").GetDateTimeOffset());
    }

    [Fact]
    public void Sigterm_stops_a_cycle_cleanly_and_its_task_waits_in_the_queue_for_the_next()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            """);
        project.Script("work.sh", HangsUntilTheSecondAttempt);
        var task = project.Add("Interrupted");
        var main = project.Git("rev-parse", "main");
        var cycle = project.Start("cycle", "--no-plan");
        var worker = project.WaitForPid("first.pid", TimeSpan.FromSeconds(30));

        Processes.Signal(cycle.Id, "TERM");

        Assert.True(cycle.WaitForExit(TimeSpan.FromSeconds(60)), "the cycle did not end on SIGTERM");
        Assert.Equal(1, cycle.ExitCode);
        Assert.False(Processes.IsAlive(worker), "the worker outlived its stopped cycle");
        Assert.Equal("queued", project.StateOf(task));
        Assert.Equal(main, project.Git("rev-parse", "main"));
        Assert.Equal([project.Dir], project.Worktrees());
        var aborted = Assert.Single(project.Json("history").EnumerateArray());
        Assert.Equal(("aborted", "stopped by a signal; running tasks went back to the queue"),
            (aborted.GetProperty("state").GetString(), aborted.GetProperty("message").GetString()));
        Assert.Equal("stopped", Assert.Single(project.Task(task).GetProperty("runs").EnumerateArray()).GetProperty("outcome").GetString());

        File.WriteAllText(Path.Combine(project.Dir, "second-attempt"), "");
        Assert.Equal(0, project.Run("cycle", "--no-plan").ExitCode);
        Assert.Equal("merged", project.StateOf(task));
        Assert.Equal("", project.Git("ls-tree", "--name-only", "main", "half-done.txt"));
    }

    [Fact]
    public void A_second_cycle_while_one_runs_says_which_and_exits_1()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            """);
        project.Script("work.sh", """
            cat > /dev/null
            echo $$ > "$AGENTS_PROJECT_DIR/worker.pid"
            while [ ! -e "$AGENTS_PROJECT_DIR/go" ]; do sleep 0.1; done
            echo x > x.txt
            """);
        project.Add("Take a while");
        var first = project.Start("cycle", "--no-plan");
        project.WaitForPid("worker.pid", TimeSpan.FromSeconds(30));

        var second = project.Run("cycle", "--no-plan");
        var json = project.Json("cycle", "--no-plan");

        Assert.Equal(1, second.ExitCode);
        Assert.Matches("^agents: cycle 1 is running \\(pid [0-9]+, started .*\\); wait for it to end\n$", second.Err);
        Assert.Equal(("busy", 1), (json.GetProperty("outcome").GetString(), json.GetProperty("id").GetInt32()));
        File.WriteAllText(Path.Combine(project.Dir, "go"), "");
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, first.ExitCode);
    }

    [Fact]
    public void A_task_cancelled_while_it_runs_has_its_worker_stopped_and_its_work_dropped()
    {
        using var project = new WorkProject("""
            backend = "command"
            worker_command = ["./work.sh"]
            """);
        project.Script("work.sh", """
            cat > /dev/null
            echo $$ > "$AGENTS_PROJECT_DIR/worker.pid"
            echo partial > partial.txt
            exec sleep 1000
            """);
        var task = project.Add("Never mind");
        var cycle = project.Start("cycle", "--no-plan");
        var worker = project.WaitForPid("worker.pid", TimeSpan.FromSeconds(30));

        Assert.Contains($"{task}: cancelled", project.Succeeds("task", "cancel", task).Out);

        Assert.True(cycle.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, cycle.ExitCode);
        Assert.False(Processes.IsAlive(worker));
        Assert.Equal("cancelled", project.StateOf(task));
        Assert.Empty(project.Branches());
        Assert.Equal([project.Dir], project.Worktrees());
        var refused = project.Run("task", "cancel", task);
        Assert.Equal((1, $"agents: {task} is already cancelled\n"), (refused.ExitCode, refused.Err));
    }
}
