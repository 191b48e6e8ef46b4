using TestSupport;

namespace Engine.Tests.EndToEnd.Work;

/// <summary>
/// The claude backend against a fake <c>claude</c> on PATH that records how it was called and replays
/// a stream-json transcript (tests/Engine.Tests/Transcripts, in the shape claude -p --output-format
/// stream-json --verbose prints), making the file change the transcript describes.
/// </summary>
public sealed class ClaudeBackendTests
{
    private const string FakeClaude = """
        printf '%s\0' "$@" > "$AGENTS_PROJECT_DIR/claude-$AGENTS_ROLE.args"
        cat > "$AGENTS_PROJECT_DIR/claude-$AGENTS_ROLE.stdin"
        case "$AGENTS_ROLE" in
          planner) transcript=claude-planner.jsonl ;;
          *) echo "hello from the worker" > hello.txt; transcript="$FAKE_CLAUDE_WORKER" ;;
        esac
        sed "s#WORKTREE#$PWD#g" "$FAKE_CLAUDE_TRANSCRIPTS/$transcript"
        """;

    private static WorkProject Project(string workerTranscript)
    {
        var project = new WorkProject("""
            backend = "claude"
            model = "sonnet"
            planner_model = "opus"
            max_budget_per_task = 0.5
            test = ["grep", "-q", "hello", "hello.txt"]
            """);
        var bin = Path.Combine(project.Dir, "fake-bin");
        Directory.CreateDirectory(bin);
        project.Script("fake-bin/claude", FakeClaude);
        project.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        project.Environment["FAKE_CLAUDE_TRANSCRIPTS"] = Path.Combine(AppContext.BaseDirectory, "Transcripts");
        project.Environment["FAKE_CLAUDE_WORKER"] = workerTranscript;
        return project;
    }

    [Fact]
    public void A_cycle_on_claude_plans_works_and_records_what_it_cost()
    {
        using var project = Project("claude-worker-success.jsonl");

        var cycle = project.Json("cycle");

        Assert.Equal("succeeded", cycle.GetProperty("outcome").GetString());
        Assert.Equal(0.0607 + 0.0421375, cycle.GetProperty("cost_usd").GetDouble(), 6);
        Assert.Equal("hello from the worker", project.Git("show", "main:hello.txt"));
        Assert.Equal("Add a greeting file (t1)", project.Git("log", "-1", "--format=%s", "main"));

        var args = Arguments(project, "worker");
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--model", "sonnet", "--permission-mode", "acceptEdits", "--max-budget-usd", "0.5"],
            args.Where((_, i) => i != 1));
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--model", "opus", "--permission-mode", "acceptEdits"],
            Arguments(project, "planner").Where((_, i) => i != 1));
        Assert.StartsWith("You are the planner", Arguments(project, "planner")[1]);
        var prompt = args[1];
        Assert.Contains("# Your task\n\nt1: Add a greeting file\nType: feature\n\nCreate hello.txt with a greeting.", prompt);
        Assert.Contains("The gate runs: test: grep -q hello hello.txt", prompt);
        Assert.Equal("", File.ReadAllText(Path.Combine(project.Dir, "claude-worker.stdin")));

        var task = project.Task("t1");
        Assert.Equal("Added hello.txt with the greeting; nothing else changed.", task.GetProperty("summary").GetString());
        var run = Assert.Single(task.GetProperty("runs").EnumerateArray());
        Assert.Equal(("worker", "claude", "sonnet", "succeeded", 3, "5b0e7c1d-2f4a-4c8e-9d61-0a7f3c2b9e10"),
            (run.GetProperty("role").GetString(), run.GetProperty("backend").GetString(), run.GetProperty("model").GetString(),
             run.GetProperty("outcome").GetString(), run.GetProperty("turns").GetInt32(), run.GetProperty("session_id").GetString()));
        var tokens = run.GetProperty("tokens");
        Assert.Equal((10, 115, 5231, 5359), (tokens.GetProperty("input").GetInt32(), tokens.GetProperty("output").GetInt32(),
            tokens.GetProperty("cache_read").GetInt32(), tokens.GetProperty("cache_creation").GetInt32()));
        Assert.Equal(["opus", "sonnet"], project.Json("costs").GetProperty("days").EnumerateArray().Select(d => d.GetProperty("model").GetString()).Order());
    }

    /// <summary>What the fake claude was called with, as it recorded it (one NUL after each argument: a prompt has newlines).</summary>
    private static string[] Arguments(WorkProject project, string role) =>
        File.ReadAllText(Path.Combine(project.Dir, $"claude-{role}.args")).Split('\0')[..^1];

    [Fact]
    public void A_result_with_subtype_success_but_is_error_true_fails_the_task()
    {
        using var project = Project("claude-worker-is-error.jsonl");
        var task = project.Add("Add a greeting file");

        var cycle = project.Json("cycle", "--no-plan");

        Assert.Equal("failed", cycle.GetProperty("outcome").GetString());
        Assert.Equal("failed", project.StateOf(task));
        Assert.StartsWith("the worker failed: claude reported an error: API Error: 529", project.Task(task).GetProperty("message").GetString());
        Assert.Equal(0.0198, project.Task(task).GetProperty("cost_usd").GetDouble(), 6);
        Assert.Equal("failed", Assert.Single(project.Task(task).GetProperty("runs").EnumerateArray()).GetProperty("outcome").GetString());
        // What it did before the error is kept on its branch, committed by the cycle, for a person to see.
        Assert.Contains("Committed by the work cycle", project.Git("log", "-1", "--format=%B", $"work/{task}"));
        Assert.Equal("hello from the worker", project.Git("show", $"work/{task}:hello.txt"));
        Assert.Equal("", project.Git("ls-tree", "--name-only", "main", "hello.txt"));
    }
}
