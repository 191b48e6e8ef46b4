using Engine.Agents.Launching;
using TestSupport;

namespace Engine.Tests.EndToEnd;

/// <summary>
/// An agent's env values reach the agent and nothing else: no command line of any process (which
/// every user sees with ps), not tmux's environments, not status, logs or files left behind.
/// </summary>
public sealed class SecretsTests : IDisposable
{
    private readonly string _secret = "sk-" + Guid.NewGuid().ToString("N");
    private const string Tricky = "it's \"quoted\" $HOME `x`\nsecond line\n";
    private readonly TemporaryFolder _tmuxTmp = new();
    private readonly EngineProject _project;
    private readonly string _tmuxCalls;

    public SecretsTests()
    {
        _project = new EngineProject($$"""
            [[agent]]
            name = "keeper"
            kind = "persistent"
            backend = "command"
            command = ["./keeper.sh"]
            watch = "heal"
            env = { API_KEY = "{{_secret}}", TRICKY = "{{Tricky.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}}" }
            """, watchdogIntervalSeconds: 0.5, tmuxTmpDir: _tmuxTmp.Path);
        // The agent keeps what it was given in files (not on its output, which goes to its log).
        _project.Script("keeper.sh", "printf '%s' \"$API_KEY\" > seen-key.txt\nprintf '%s' \"$TRICKY\" > seen-tricky.txt\necho keeper up\nexec sleep 1000");
        // Every tmux command line the engine runs, recorded by a wrapper first on PATH.
        _tmuxCalls = Path.Combine(_project.Dir, "tmux-calls.log");
        var wrapper = _project.Script("bin/tmux", $"printf '%s\\n' \"$*\" >> '{_tmuxCalls}'\nexec '{RealTmux()}' \"$@\"");
        _project.Environment["PATH"] = Path.GetDirectoryName(wrapper) + ":" + Environment.GetEnvironmentVariable("PATH");
    }

    private static string RealTmux() =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "tmux")).First(File.Exists);

    private string Seen(string file) => File.Exists(Path.Combine(_project.Dir, file)) ? File.ReadAllText(Path.Combine(_project.Dir, file)) : "";

    [Fact]
    public void Env_values_reach_the_agent_but_no_command_line_tmux_environment_output_or_leftover_file()
    {
        var up = _project.Succeeds("up");
        EngineProject.WaitUntil(() => Seen("seen-key.txt") == _secret, TimeSpan.FromSeconds(10), "the agent to see its API_KEY");
        Assert.Equal(Tricky, Seen("seen-tricky.txt"));
        AssertNowhereButTheAgent(up.Out + up.Err);

        // A restart by the watchdog hands the environment over the same way.
        File.Delete(Path.Combine(_project.Dir, "seen-key.txt"));
        var first = _project.PanePid("keeper")!.Value;
        Processes.Kill(first);
        EngineProject.WaitUntil(() => Seen("seen-key.txt") == _secret, TimeSpan.FromSeconds(10), "the restarted agent to see its API_KEY");
        Assert.NotEqual(first, _project.PanePid("keeper"));
        AssertNowhereButTheAgent("");
    }

    private void AssertNowhereButTheAgent(string engineOutput)
    {
        var session = _project.Session("keeper");
        Assert.DoesNotContain(_secret, engineOutput);
        Assert.DoesNotContain(_secret, File.ReadAllText(_tmuxCalls));
        foreach (var pid in Processes.All())
            Assert.False(Processes.CommandLine(pid).Contains(_secret), $"process {pid} has the secret on its command line: {Processes.CommandLine(pid)}");

        // In /proc only the agent's own processes hold it, in their environment; not the tmux server's.
        var holders = Processes.All().Where(pid => Processes.Environment(pid).Contains(_secret)).ToList();
        Assert.NotEmpty(holders);
        Assert.All(holders, pid => Assert.Contains($"{AgentMarker.Name}=keeper", Processes.Environment(pid)));
        Assert.DoesNotContain(_secret, _project.Tmux.Run("show-environment", "-t", "=" + session).Out);
        Assert.DoesNotContain(_secret, _project.Tmux.Run("show-environment", "-g").Out);

        foreach (var output in new[] { _project.Succeeds("status"), _project.Succeeds("status", "--json"), _project.Succeeds("logs", "keeper") })
            Assert.DoesNotContain(_secret, output.Out + output.Err);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_project.Dir, ".ao-state"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock")))
            Assert.False(File.ReadAllText(file).Contains(_secret), $"{file} holds the secret");
    }

    public void Dispose()
    {
        _project.Dispose();
        new TmuxServer(Engine.Agents.Tmux.TmuxSocket.Default, _project.Environment).Run("kill-server");
        _tmuxTmp.Dispose();
    }
}
