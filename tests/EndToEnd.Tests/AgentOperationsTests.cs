using System.Diagnostics;
using System.Text.Json;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// The everyday operations on a real project with the real engine and two command agents: RestartProject, Logs,
/// Attach, UpdateEngine with and without --restart, and --ref latest.
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class AgentOperationsTests : IDisposable, IClassFixture<AgentOperationsTests.JitEngineCache>
{
    /// <summary>
    /// One engine build for the whole class, in a cache of its own, on a PATH without a C compiler: a JIT build, quick
    /// to make (the engine's native builds are tested by Engine.Tests and the quick start).
    /// </summary>
    public sealed class JitEngineCache : IDisposable
    {
        private readonly TemporaryFolder _cache = new();
        private readonly RestrictedPath _noCompiler = new("gcc", "clang", "cc");

        public IReadOnlyDictionary<string, string> Environment =>
            new Dictionary<string, string>(_noCompiler.Environment) { ["XDG_CACHE_HOME"] = _cache.Path };

        public void Dispose()
        {
            _cache.Dispose();
            _noCompiler.Dispose();
        }
    }

    private readonly FreshClone _clone;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly TemporaryFolder _folder = new();
    private readonly string _name = $"ops{Guid.NewGuid().ToString("N")[..8]}";
    private readonly string _engine;

    /// <summary>The published engine at v0.1.0, then v0.9.0 and v0.10.0: text order would call v0.9.0 the newest.</summary>
    public AgentOperationsTests(FreshClone clone, JitEngineCache engines)
    {
        _clone = clone;
        _environment = engines.Environment;
        _engine = _folder["engine.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", _engine);
        _folder.Write("fleet.toml", "");
        Succeeds("PublishEngine", "--engine-repo", _engine);
        var work = _folder["engine-work"];
        Shell.Git(_folder.Path, "clone", "-q", _engine, work);
        foreach (var version in new[] { "v0.9.0", "v0.10.0" })
        {
            // Only a document changes, so every version runs the engine already built on this machine.
            File.AppendAllText(Path.Combine(work, "README.md"), $"\n{version}\n");
            Shell.Git(work, "commit", "-q", "-am", $"Engine {version}");
            Shell.Git(work, "tag", version);
        }
        Shell.Git(work, "push", "-q", "origin", "HEAD:main", "--tags");
    }

    private string Project => _folder[$"projects/{_name}"];

    public void Dispose()
    {
        if (File.Exists(Path.Combine(Project, "engine", "agents")))
        {
            EndFollowers();
            Engine("down");
        }
        // Sessions of an engine that predates a socket per project, by this test's unique names only.
        foreach (var agent in new[] { "talker", "sleeper" })
            Shell.Run(_folder.Path, "tmux", ["kill-session", "-t", $"={_name}-{agent}"]);
        _folder.Dispose();
    }

    private Outcome Run(params string[] arguments) =>
        _clone.Run(_folder.Path, [.. arguments, "--fleet", _folder["fleet.toml"], "--no-logo"], _environment);

    /// <summary>The project's own harness, run by hand in its folder.</summary>
    private Outcome Engine(params string[] arguments) =>
        Shell.Run(Project, Path.Combine(Project, "engine", "agents"), arguments, _environment);

    private Outcome Succeeds(params string[] arguments)
    {
        var outcome = Run(arguments);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return outcome;
    }

    /// <summary>A project of the fleet with two command agents, committed, at <paramref name="reference"/>.</summary>
    private void CreateProject(string reference)
    {
        Succeeds("CreateProject", "--name", _name, "--engine-url", _engine, "--ref", reference, "--register");
        File.WriteAllText(Path.Combine(Project, "agents.toml"), $"""
            session_prefix = "{_name}-"

            [[agent]]
            name = "talker"
            kind = "persistent"
            backend = "command"
            command = ["bash", "-c", "echo hello from talker; exec sleep 600"]
            watch = "heal"

            [[agent]]
            name = "sleeper"
            kind = "persistent"
            backend = "command"
            command = ["sleep", "600"]
            watch = "heal"
            """);
        Shell.Git(Project, "commit", "-q", "-am", "Two command agents");
    }

    /// <summary>Each agent's state and pid, and the watchdog's pid, as the project's own harness reports them.</summary>
    private (Dictionary<string, (string State, int? Pid)> Agents, int? Watchdog) Status()
    {
        var status = Engine("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.Out);
        var agents = json.RootElement.GetProperty("agents").EnumerateArray().ToDictionary(
            a => a.GetProperty("name").GetString()!,
            a => (a.GetProperty("state").GetString()!, a.GetProperty("pid").ValueKind == JsonValueKind.Number ? a.GetProperty("pid").GetInt32() : (int?)null));
        var watchdog = json.RootElement.GetProperty("watchdog").GetProperty("pid");
        return (agents, watchdog.ValueKind == JsonValueKind.Number ? watchdog.GetInt32() : null);
    }

    private string Pin => Shell.Git(Project, "ls-tree", "HEAD", "engine").Split(' ', '\t')[2];
    private string CommitOf(string tag) => Shell.Git(_engine, "rev-parse", $"{tag}^{{commit}}");

    [Fact]
    public void Restart_and_logs_go_through_the_projects_harness()
    {
        CreateProject("v0.1.0");
        Succeeds("StartProject", "--project", _name);
        var started = Status();
        Assert.All(started.Agents.Values, a => Assert.Equal("running", a.State));

        var planned = Succeeds("RestartProject", "--project", _name, "--agents", "talker", "--dry-run");
        Assert.Contains($"would run engine/agents down talker in {Project}\nwould run engine/agents up talker in {Project}", planned.Out);
        Assert.Equal(started.Agents["talker"].Pid, Status().Agents["talker"].Pid);

        var one = Succeeds("RestartProject", "--project", _name, "--agents", "talker");
        Assert.Contains("talker: stopped", one.Out);
        Assert.Contains("talker: started", one.Out);
        var afterOne = Status();
        Assert.Equal("running", afterOne.Agents["talker"].State);
        Assert.NotEqual(started.Agents["talker"].Pid, afterOne.Agents["talker"].Pid);
        Assert.Equal(started.Agents["sleeper"].Pid, afterOne.Agents["sleeper"].Pid);
        Assert.Equal(started.Watchdog, afterOne.Watchdog);

        Succeeds("RestartProject", "--project", _name);
        var afterAll = Status();
        Assert.All(afterAll.Agents.Values, a => Assert.Equal("running", a.State));
        Assert.NotEqual(afterOne.Agents["sleeper"].Pid, afterAll.Agents["sleeper"].Pid);
        Assert.NotEqual(afterOne.Watchdog, afterAll.Watchdog);

        // The log fills as the agent prints; each Logs is one harness call.
        var logs = Poll.Until(() => Run("Logs", "--project", _name, "--agent", "talker") is { ExitCode: 0 } o && o.Out.Contains("hello from talker") ? o : null);
        Assert.DoesNotContain("== talker", logs.Out);
        var every = Succeeds("Logs", "--project", _name);
        Assert.Matches("(?s)^== talker\n.*hello from talker.*== sleeper\n", every.Out);
        var unknown = Run("Logs", "--project", _name, "--agent", "nobody");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("engine/agents logs nobody exited", unknown.Err);
        var followAll = Run("Logs", "--project", _name, "--follow");
        Assert.Equal(2, followAll.ExitCode);
        Assert.Contains($"--follow follows one agent, and project '{_name}' has talker, sleeper; pass --agent NAME", followAll.Err);
        FollowingStopsOnCtrlC();
    }

    [Fact]
    public void Attach_goes_through_the_harness_which_prints_the_command_when_not_on_a_terminal()
    {
        CreateProject("v0.1.0");
        Succeeds("StartProject", "--project", _name);
        var ambiguous = Run("Attach", "--project", _name);
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains($"project '{_name}' has agents talker, sleeper; pass --agent NAME", ambiguous.Err);
        var unknown = Run("Attach", "--project", _name, "--agent", "nobody");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"project '{_name}' has no agent 'nobody'; its agents: talker, sleeper", unknown.Err);

        // Not on a terminal: the harness prints the command that attaches (on the project's own tmux server), and attaches nothing.
        var attach = Run("Attach", "--project", _name, "--agent", "talker");
        Assert.True(attach.ExitCode == 0, attach.ToString());
        Assert.Matches($@"^tmux -L \S+ attach(-session)? -t '={_name}-talker'\n$", attach.Out);
    }

    [Fact]
    public void On_a_terminal_Attach_is_a_tmux_client_of_the_agents_session_until_it_detaches()
    {
        CreateProject("v0.1.0");
        Succeeds("StartProject", "--project", _name);
        var socket = TmuxSocket();
        var session = $"{_name}-talker";

        // A pseudo-terminal, as an operator's: python's pty module runs the runbook on one.
        var start = new ProcessStartInfo("python3")
        {
            WorkingDirectory = _folder.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)",
                     Path.Combine(_clone.Root, "build.sh"), "Attach", "--project", _name, "--agent", "talker", "--fleet", _folder["fleet.toml"], "--no-logo" })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in _environment)
            start.Environment[name] = value;
        using var terminal = Process.Start(start)!;
        var output = terminal.StandardOutput.ReadToEndAsync();
        try
        {
            Poll.Until(() => Shell.Run(_folder.Path, "tmux", ["-L", socket, "list-clients", "-t", $"={session}"]).Out.Contains(session) ? "attached" : null);
            Assert.Equal(0, Shell.Run(_folder.Path, "tmux", ["-L", socket, "detach-client", "-s", $"={session}"]).ExitCode);
            Assert.True(terminal.WaitForExit(TimeSpan.FromSeconds(60)), "Attach did not end when its client detached");
            Assert.Equal(0, terminal.ExitCode);
            Assert.Contains($"[detached (from session {session})]", output.Result);
        }
        finally
        {
            if (!terminal.HasExited)
                terminal.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The project's own tmux server, as its harness reports it.</summary>
    private string TmuxSocket()
    {
        var status = Engine("status", "--json");
        using var json = JsonDocument.Parse(status.Out);
        return json.RootElement.GetProperty("tmux_socket").GetString()!;
    }

    [Fact]
    public void The_python_harness_gets_logs_through_its_command_line_and_the_command_to_attach_by_hand()
    {
        var work = _folder["py-engine"];
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "agents.py"), """
            import json, sys
            verb = sys.argv[1:2]
            if verb == ["status"]:
                print(json.dumps({"agents": [{"name": "main", "state": "running", "since": None, "pid": 4242}]}))
            elif verb == ["logs"]:
                print("log of " + sys.argv[2])
            else:
                sys.exit("agents.py: no such command: " + " ".join(sys.argv[1:]))
            """);
        Shell.Git(work, "init", "-q", "-b", "main");
        Shell.Git(work, "add", "-A");
        Shell.Git(work, "commit", "-q", "-m", "Python harness");
        Shell.Git(work, "tag", "v1.0.0");
        Directory.CreateDirectory(Project);
        Shell.Git(Project, "init", "-q", "-b", "main");
        Shell.Git(Project, "submodule", "add", "-q", work, "engine");
        Shell.Git(Project, "commit", "-q", "-m", "Python project");
        _folder.Write("fleet.toml", $"""
            [[project]]
            name = "{_name}"
            location = "projects/{_name}"
            harness = "agent-orchestrator"
            engine_url = "./py-engine"
            ref = "v1.0.0"
            """);

        Assert.Equal("log of main\n", Succeeds("Logs", "--project", _name).Out);
        var attach = Succeeds("Attach", "--project", _name);
        Assert.Equal("python3 engine/agents.py has no attach; run: tmux ls, then tmux attach -t SESSION with the agent's session (detach with Ctrl-b d)\n", attach.Out);
    }

    /// <summary>Logs --follow streams until Ctrl-C, which stops the harness it started too.</summary>
    private void FollowingStopsOnCtrlC()
    {
        var start = new ProcessStartInfo(Path.Combine(_clone.Root, "build.sh"))
        {
            WorkingDirectory = _folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "Logs", "--project", _name, "--agent", "talker", "--follow", "--fleet", _folder["fleet.toml"], "--no-logo" })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in _environment)
            start.Environment[name] = value;
        using var follow = Process.Start(start)!;
        var errors = follow.StandardError.ReadToEndAsync();
        var seen = new System.Text.StringBuilder();
        var reading = Task.Run(() =>
        {
            int c;
            while ((c = follow.StandardOutput.Read()) >= 0)
                lock (seen)
                    seen.Append((char)c);
        });
        Poll.Until(() => { lock (seen) return seen.ToString().Contains("hello from talker") ? "seen" : null; });
        var followers = Followers();
        Assert.NotEmpty(followers);
        Shell.Run(_folder.Path, "kill", ["-INT", follow.Id.ToString()]);
        Assert.True(follow.WaitForExit(TimeSpan.FromSeconds(60)), "Logs --follow did not stop on Ctrl-C");
        Assert.Equal(1, follow.ExitCode);
        // A follower left behind would hold the runbook's output open: end it (it is this project's) before reading.
        var stopped = WaitUntil(() => Followers().Count == 0);
        EndFollowers();
        Assert.True(stopped, "engine/agents logs --follow outlived the aborted Logs");
        Assert.True(reading.Wait(TimeSpan.FromSeconds(30)) && errors.Wait(TimeSpan.FromSeconds(30)), "the runbook's output never closed");
        Assert.Matches(@"Logs\s+Aborted", errors.Result);
    }

    private void EndFollowers()
    {
        foreach (var pid in Followers())
            Shell.Run(_folder.Path, "kill", ["-KILL", pid.ToString()]);
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                return false;
            Thread.Sleep(100);
        }
        return true;
    }

    /// <summary>The engine processes following this project's talker log.</summary>
    private List<int> Followers() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid) is var line && line.Contains("logs talker --follow") && Cwd(pid) == Project)
            .ToList();

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static string? Cwd(int pid)
    {
        try { return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    [Fact]
    public void UpdateEngine_restarts_the_running_agents_only_with_restart_and_latest_is_the_newest_version()
    {
        CreateProject("v0.1.0");
        Succeeds("StartProject", "--project", _name);
        var before = Status();

        var kept = Succeeds("UpdateEngine", "--project", _name, "--ref", "v0.9.0");
        Assert.Contains($"{_name}: Bump engine from v0.1.0", kept.Out);
        Assert.Contains($"Running agents of {_name} keep the old engine until restarted: ./build.sh RestartProject --project {_name}, or bump with --restart", kept.Out);
        Assert.Equal(before.Agents["talker"].Pid, Status().Agents["talker"].Pid);

        var planned = Succeeds("UpdateEngine", "--project", _name, "--ref", "latest", "--restart", "--dry-run");
        Assert.Contains($"{_name}: would bump engine from v0.9.0", planned.Out);
        Assert.Contains("to v0.10.0", planned.Out);
        Assert.Contains("would restart talker, sleeper: engine/agents down before the checkout, engine/agents up talker sleeper after it", planned.Out);
        Assert.Equal(CommitOf("v0.9.0"), Pin);
        Assert.Equal(before.Agents["talker"].Pid, Status().Agents["talker"].Pid);

        var restarted = Succeeds("UpdateEngine", "--project", _name, "--ref", "latest", "--restart");
        Assert.Contains($"{_name}: Bump engine from v0.9.0 ({CommitOf("v0.9.0")[..7]}) to v0.10.0 ({CommitOf("v0.10.0")[..7]}); restarted talker, sleeper on the new engine", restarted.Out);
        Assert.DoesNotContain("keep the old engine", restarted.Out);
        Assert.Equal(CommitOf("v0.10.0"), Pin);
        Assert.Contains("ref = \"v0.10.0\"", File.ReadAllText(_folder["fleet.toml"]));
        var after = Status();
        Assert.All(after.Agents.Values, a => Assert.Equal("running", a.State));
        Assert.NotEqual(before.Agents["talker"].Pid, after.Agents["talker"].Pid);
        Assert.NotEqual(before.Agents["sleeper"].Pid, after.Agents["sleeper"].Pid);
        Assert.NotEqual(before.Watchdog, after.Watchdog);

        // Only what runs is restarted: a stopped agent stays stopped.
        Succeeds("StopProject", "--project", _name, "--agents", "sleeper");
        var partial = Succeeds("UpdateEngine", "--project", _name, "--ref", "v0.1.0", "--restart");
        Assert.Contains("; restarted talker on the new engine", partial.Out);
        var last = Status();
        Assert.Equal("running", last.Agents["talker"].State);
        Assert.Equal("stopped", last.Agents["sleeper"].State);

        // Nothing running: nothing to restart, and the bump says so.
        Succeeds("StopProject", "--project", _name);
        var idle = Succeeds("UpdateEngine", "--project", _name, "--ref", "v0.9.0", "--restart");
        Assert.Contains("; no agents were running", idle.Out);
        Assert.All(Status().Agents.Values, a => Assert.Equal("stopped", a.State));
    }

    [Fact]
    public void Latest_is_the_newest_version_tag_wherever_a_ref_is_taken()
    {
        var created = Succeeds("CreateProject", "--name", _name, "--engine-url", _engine, "--ref", "latest", "--register");
        Assert.Contains($"with engine v0.10.0 ({CommitOf("v0.10.0")[..7]})", created.Out);
        Assert.Equal(CommitOf("v0.10.0"), Pin);
        Assert.Contains("ref = \"v0.10.0\"", File.ReadAllText(_folder["fleet.toml"]));

        // The engine repository is the flag's, else the one the project's engine/ submodule records; latest is
        // that repository's newest version, not the tag of the project's pin.
        var registered = Succeeds("RegisterProject", "--name", "other", "--location", Project, "--engine-url", _engine, "--ref", "latest", "--dry-run");
        Assert.Contains("+ref = \"v0.10.0\"", registered.Out);
        Shell.Git(Path.Combine(Project, "engine"), "checkout", "-q", "v0.9.0");
        Shell.Git(Project, "commit", "-q", "-am", "Engine v0.9.0");
        var adopted = Succeeds("RegisterProject", "--name", "other", "--location", Project, "--ref", "latest", "--dry-run");
        Assert.Contains($"+engine_url = \"{_engine}\"", adopted.Out);
        Assert.Contains("+ref = \"v0.10.0\"", adopted.Out);
        var empty = _folder["empty"];
        Directory.CreateDirectory(empty);
        var noEngine = Run("RegisterProject", "--name", "other", "--location", empty, "--ref", "latest");
        Assert.Equal(2, noEngine.ExitCode);
        Assert.Contains("no engine_url for 'other'", noEngine.Err);

        var bare = _folder["untagged.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", bare);
        var untagged = Run("CreateProject", "--name", "untagged", "--engine-url", bare, "--ref", "latest");
        Assert.Equal(2, untagged.ExitCode);
        Assert.Contains($"the engine repository {bare} has no version tag (vX.Y.Z) to take as the latest", untagged.Err);
    }
}
