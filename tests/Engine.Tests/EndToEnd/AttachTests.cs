using TestSupport;

namespace Engine.Tests.EndToEnd;

public sealed class AttachTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "idle"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        watch = "heal"
        """);

    /// <summary>Runs a program on a pseudo-terminal of its own (as a person at a terminal would), printing its pid first.</summary>
    private const string OnATerminal = """
        import os, pty, sys
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(sys.argv[1], sys.argv[1:])
        print(pid, flush=True)
        while True:
            try:
                if not os.read(fd, 4096):
                    break
            except OSError:
                break
        sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        """;

    [Fact]
    public void Without_a_terminal_attach_prints_the_tmux_command_on_one_line()
    {
        _project.Succeeds("up", "idle");

        var attach = _project.Succeeds("attach", "idle");

        Assert.Equal($"tmux -L {_project.Tmux.Socket} attach-session -t '={_project.Session("idle")}'\n", attach.Out);
        Assert.Empty(attach.Err);
    }

    [Fact]
    public async Task On_a_terminal_attach_becomes_the_tmux_client_of_the_agents_session()
    {
        _project.Succeeds("up", "idle");
        var environment = new Dictionary<string, string>(_project.Environment) { ["TERM"] = "xterm" };
        environment.Remove("TMUX");

        var attached = Task.Run(() => Shell.Run(_project.Dir, "python3", ["-c", OnATerminal, EngineBuild.Launcher, "attach", "idle"], environment, TimeSpan.FromMinutes(1)));
        var client = EngineProject.WaitFor(() => int.TryParse(_project.Tmux.Run("list-clients", "-t", "=" + _project.Session("idle"), "-F", "#{client_pid}").Out.Trim(), out var pid) ? pid : (int?)null,
            TimeSpan.FromSeconds(20), "a client attached to the agent's session");
        Assert.Equal(0, _project.Tmux.Run("detach-client", "-s", "=" + _project.Session("idle")).ExitCode);
        var outcome = await attached;

        Assert.Equal(0, outcome.ExitCode);
        // The launcher's own process became the tmux client: exec, not a child that waits.
        Assert.Equal(client, int.Parse(outcome.Out.Split('\n')[0].Trim()));
    }

    [Fact]
    public void Attach_to_an_agent_that_is_not_running_says_how_to_start_it()
    {
        var attach = _project.Run("attach", "idle");

        Assert.Equal(1, attach.ExitCode);
        Assert.Equal("agents: agent 'idle' has no tmux session; start it with 'agents up idle'\n", attach.Err);
    }

    [Fact]
    public void Attach_needs_one_agent_the_config_has()
    {
        Assert.Equal(2, _project.Run("attach").ExitCode);
        Assert.Equal(2, _project.Run("attach", "nobody").ExitCode);
    }

    public void Dispose() => _project.Dispose();
}
