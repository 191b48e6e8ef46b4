using Engine.Agents.Tmux;
using TestSupport;

namespace Engine.Tests.EndToEnd;

/// <summary>
/// Each project's agents on a tmux server of their own. These tests give the engine a TMUX_TMPDIR of
/// their own, so the "default" server they stop or fill stands in for the user's and is thrown away.
/// </summary>
public sealed class TmuxServerTests : IDisposable
{
    private readonly TemporaryFolder _tmuxTmp = new();
    private readonly EngineProject _project;
    private readonly TmuxServer _defaultServer;

    public TmuxServerTests()
    {
        _project = new EngineProject("""
            [[agent]]
            name = "idle"
            kind = "persistent"
            backend = "command"
            command = ["sleep", "1000"]
            watch = "heal"
            """, tmuxTmpDir: _tmuxTmp.Path);
        _defaultServer = new TmuxServer(TmuxSocket.Default, _project.Environment);
    }

    [Fact]
    public void A_kill_server_on_the_default_server_leaves_the_projects_agents_running()
    {
        _defaultServer.NewSession("someone-elses", "sleep", "1000");
        _project.Succeeds("up");
        var pid = _project.PanePid("idle")!.Value;

        Assert.Equal(0, _defaultServer.Run("kill-server").ExitCode);

        Assert.False(_defaultServer.SessionExists("someone-elses"));
        Assert.True(_project.SessionExists("idle"));
        Assert.True(Processes.IsAlive(pid));
        var status = _project.Status();
        Assert.Equal(_project.Tmux.Socket, status.GetProperty("tmux_socket").GetString());
        Assert.Equal("running", EngineProject.State(status.GetProperty("agents")[0]));
    }

    [Fact]
    public void The_socket_is_named_after_the_project_folder_and_two_projects_get_two_servers()
    {
        using var other = new EngineProject("""
            [[agent]]
            name = "idle"
            backend = "command"
            command = ["sleep", "1000"]
            """, tmuxTmpDir: _tmuxTmp.Path);
        _project.Succeeds("up");
        other.Succeeds("up");

        Assert.NotEqual(_project.Tmux.Socket, other.Tmux.Socket);
        Assert.Matches($"^agents-{Path.GetFileName(_project.Dir)}-[0-9a-f]{{8}}$", _project.Tmux.Socket);
        Assert.Equal([_project.Session("idle")], _project.Tmux.Sessions());
        Assert.Equal([other.Session("idle")], other.Tmux.Sessions());
        Assert.Empty(_defaultServer.Sessions());
    }

    [Fact]
    public void Agents_an_older_engine_left_on_the_default_server_are_kept_watched_moved_when_restarted_and_stopped()
    {
        // What an older engine left: the agent's session on the default server, marked as this project's,
        // and one more for an agent since removed from agents.toml.
        var legacy = _project.Session("idle");
        var removed = _project.Prefix + "removed";
        foreach (var session in new[] { legacy, removed })
        {
            _defaultServer.NewSession(session, "sleep", "1000");
            Assert.Equal(0, _defaultServer.Run("set-option", "-t", "=" + session + ":", "@ao_owner", Engine.Agents.Config.CanonicalPath.Of(_project.Dir),
                ";", "set-option", "-w", "-t", "=" + session + ":", "remain-on-exit", "on").ExitCode);
        }
        var oldPid = int.Parse(_defaultServer.Run("display-message", "-p", "-t", "=" + legacy + ":", "#{pane_pid}").Out.Trim());

        var agent = _project.Agent("idle");
        Assert.Equal("running", EngineProject.State(agent));
        Assert.Equal(oldPid, EngineProject.Pid(agent));
        Assert.Equal("default", agent.GetProperty("tmux_socket").GetString());
        Assert.Equal($"tmux -L default attach-session -t '={legacy}'", _project.Succeeds("attach", "idle").Out.Trim());

        var up = _project.Succeeds("up");
        Assert.Contains($"idle: running (pid {oldPid}, session {legacy} on the default tmux server", up.Out);
        Assert.False(_project.SessionExists("idle"));

        // When it dies, the watchdog starts it again on the project's own server, and closes the old session.
        Processes.Kill(oldPid);
        EngineProject.WaitUntil(() => _project.PanePid("idle") is not null, TimeSpan.FromSeconds(15), "the agent on the project's server");
        Assert.False(_defaultServer.SessionExists(legacy));
        Assert.Equal(_project.Tmux.Socket, _project.Agent("idle").GetProperty("tmux_socket").GetString());

        var down = _project.Succeeds("down");
        Assert.Contains($"{removed}: stopped", down.Out);
        Assert.False(_defaultServer.SessionExists(removed));
        Assert.False(_project.SessionExists("idle"));
    }

    public void Dispose()
    {
        _project.Dispose();
        // The throwaway default server of this test's own TMUX_TMPDIR, never the user's.
        _defaultServer.Run("kill-server");
        _tmuxTmp.Dispose();
    }
}
