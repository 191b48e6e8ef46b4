namespace Engine.Tests.EndToEnd;

public sealed class PreflightTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "fine"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        watch = "heal"

        [[agent]]
        name = "noprompt"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        prompt = "prompts/missing.md"
        watch = "heal"

        [[agent]]
        name = "noprogram"
        kind = "persistent"
        backend = "command"
        command = ["no-such-program-for-agents-tests"]
        watch = "heal"

        [[agent]]
        name = "notexecutable"
        kind = "oneshot"
        backend = "command"
        command = ["./plain.txt"]
        watch = "none"
        """);

    public PreflightTests() => _project.Write("plain.txt", "not a program\n");

    [Fact]
    public void Up_reports_one_line_per_problem_and_starts_nothing()
    {
        var up = _project.Run("up");

        Assert.Equal(1, up.ExitCode);
        var lines = up.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^agents\.toml:\d+:\d+: agent 'noprompt': prompt file 'prompts/missing\.md' does not exist", lines[0]);
        Assert.Matches(@"^agents\.toml:\d+:\d+: agent 'noprogram': 'no-such-program-for-agents-tests' is not on PATH", lines[1]);
        Assert.Matches(@"^agents\.toml:\d+:\d+: agent 'notexecutable': program '\./plain\.txt' is not executable", lines[2]);
        Assert.Contains("nothing was started", lines[3]);
        Assert.False(_project.SessionExists("fine"));
        Assert.Null(_project.WatchdogPid());
    }

    [Fact]
    public void Up_refuses_a_session_name_taken_by_a_session_it_did_not_create()
    {
        _project.Tmux.NewSession(_project.Session("fine"), "sleep", "1000");

        var up = _project.Run("up", "fine");

        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"tmux session '{_project.Session("fine")}' already exists and was not started by this project", up.Err);
        Assert.True(_project.SessionExists("fine"));
        Assert.Null(_project.WatchdogPid());
    }

    [Fact]
    public void Up_names_a_missing_backend_program()
    {
        _project.Write("agents.toml", $"""
            session_prefix = "{_project.Prefix}"

            [[agent]]
            name = "main"
            kind = "persistent"
            backend = "codex"
            prompt = "prompts/main.md"
            watch = "heal"
            """);
        _project.Write("prompts/main.md", "hello\n");

        var up = _project.Run("up");

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("agent 'main': 'codex' is not on PATH; install the Codex CLI", up.Err);
    }

    public void Dispose() => _project.Dispose();
}
