using System.Text.Json;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// The whole path with the real engine: publish it, create a project on it, start it, see it live, stop it. The engine
/// is built into a cache of the test's own, on a machine without a C compiler: a JIT build, quick to make, whose first
/// use CreateProject must show (the engine's native builds are tested by Engine.Tests and the quick start).
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class AgentsLifecycleTests(FreshClone clone) : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly RestrictedPath _noCompiler = new("gcc", "clang", "cc");
    private readonly string _name = $"e2e{Guid.NewGuid().ToString("N")[..8]}";
    private string Second => _name + "b";

    /// <summary>The scaffolded agent runs claude, which this machine need not have: a plain command agent instead.</summary>
    private static string SleeperConfig(string name) => $"""
        session_prefix = "{name}-"

        [[agent]]
        name = "sleeper"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "600"]
        watch = "heal"
        """;

    public void Dispose()
    {
        // Only what this test made: each project's engine stops its own agents and watchdog.
        foreach (var project in new[] { _name, Second }.Select(name => _folder[$"projects/{name}"]))
            if (File.Exists(Path.Combine(project, "engine", "agents")))
                Shell.Run(project, Path.Combine(project, "engine", "agents"), ["down"]);
        _folder.Dispose();
        _noCompiler.Dispose();
    }

    /// <summary>Whether the session runs on the project's own tmux server, the one its engine names in status --json.</summary>
    private static bool SessionExists(string project, string session)
    {
        var status = Shell.Run(project, Path.Combine(project, "engine", "agents"), ["status", "--json"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        var socket = JsonDocument.Parse(status.Out).RootElement.GetProperty("tmux_socket").GetString()!;
        return Shell.Run(project, "tmux", ["-L", socket, "has-session", "-t", "=" + session]).ExitCode == 0;
    }

    private Outcome Run(params string[] arguments) =>
        clone.Run(_folder.Path, [.. arguments, "--fleet", _folder["fleet.toml"], "--no-logo"],
            new Dictionary<string, string>(_noCompiler.Environment) { ["XDG_CACHE_HOME"] = _folder["cache"] });

    private Outcome Succeeds(params string[] arguments)
    {
        var outcome = Run(arguments);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return outcome;
    }

    [Fact]
    public void Publish_create_start_watch_live_and_stop()
    {
        var engineRepository = _folder["engine.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", engineRepository);
        _folder.Write("fleet.toml", "");
        Succeeds("PublishEngine", "--engine-repo", engineRepository);
        var created = Succeeds("CreateProject", "--name", _name, "--engine-url", engineRepository, "--register");
        Assert.Contains("agents: building the engine 0.1.0 for this machine (jit", created.Err);

        var project = _folder[$"projects/{_name}"];
        Assert.Contains("[[agent]]", File.ReadAllText(Path.Combine(project, "agents.toml")));
        File.WriteAllText(Path.Combine(project, "agents.toml"), SleeperConfig(_name));
        // A second project on the same engine: FleetStatus --live asks both in one harness call.
        var second = Succeeds("CreateProject", "--name", Second, "--engine-url", engineRepository, "--register");
        Assert.DoesNotContain("building the engine", second.Err);
        File.WriteAllText(_folder[$"projects/{Second}/agents.toml"], SleeperConfig(Second));

        var planned = Succeeds("StartProject", "--project", _name, "--agents", "sleeper", "--dry-run");
        Assert.Contains($"would run engine/agents up sleeper in {project}", planned.Out);
        Assert.False(SessionExists(project, $"{_name}-sleeper"));

        Succeeds("StartProject", "--project", _name);
        Assert.True(SessionExists(project, $"{_name}-sleeper"));

        var live = Succeeds("FleetStatus", "--live").Out;
        Assert.Matches($@"{_name} .*1/1 agents running, watchdog running", live);
        Assert.Matches($@"{Second} .*0/1 agents running, watchdog stopped", live);
        using (var json = JsonDocument.Parse(Succeeds("FleetStatus", "--live", "--json").Out))
        {
            var status = json.RootElement.GetProperty("projects")[0].GetProperty("live");
            Assert.Equal(1, status.GetProperty("running").GetInt32());
            Assert.Equal("sleeper", status.GetProperty("harness").GetProperty("agents")[0].GetProperty("name").GetString());
        }

        Succeeds("StopProject", "--project", _name);
        Assert.False(SessionExists(project, $"{_name}-sleeper"));
        Assert.Contains("0/1 agents running", Succeeds("FleetStatus", "--live").Out);
    }

    [Fact]
    public void A_dotted_name_gets_a_session_prefix_the_engine_accepts_and_ValidateFleet_asks_the_engine()
    {
        var engineRepository = _folder["engine.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", engineRepository);
        _folder.Write("fleet.toml", "");
        Succeeds("PublishEngine", "--engine-repo", engineRepository);
        Succeeds("CreateProject", "--name", $"{_name}.app", "--engine-url", engineRepository, "--register");

        var config = _folder[$"projects/{_name}.app/agents.toml"];
        Assert.Contains($"session_prefix = \"{_name}-app-\"", File.ReadAllText(config));
        Assert.Contains($"{_name}.app (projects/{_name}.app): ok", Succeeds("ValidateFleet").Out);

        File.WriteAllText(config, File.ReadAllText(config).Replace($"\"{_name}-app-\"", $"\"{_name}.app-\""));
        var refused = Run("ValidateFleet");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{_name}.app: its harness does not accept agents.toml: status exited 1: agents.toml:", refused.Out);
        Assert.Contains($"session_prefix '{_name}.app-' may hold only letters, digits, '_' and '-'", refused.Out);
    }

    [Fact]
    public void Disabled_and_missing_projects_get_clear_refusals()
    {
        _folder.Write("fleet.toml", $"""
            [[project]]
            name = "off"
            location = "off"
            engine_url = "https://example.invalid/engine.git"
            ref = "v0.1.0"
            enabled = false

            [[project]]
            name = "away"
            location = "away"
            remote = "git@example.invalid:team/away.git"
            engine_url = "https://example.invalid/engine.git"
            ref = "v0.1.0"
            """);
        var disabled = Run("StartProject", "--project", "off");
        Assert.Equal(1, disabled.ExitCode);
        Assert.Contains("project 'off' is disabled in fleet.toml; pass --force to start it anyway", disabled.Err);

        var away = Run("StartProject", "--project", "away");
        Assert.Equal(2, away.ExitCode);
        Assert.Contains("project 'away' has no local clone at", away.Err);
        Assert.Contains("clone it there from git@example.invalid:team/away.git first", away.Err);

        // A clone without its engine checked out: the command to fix it is quoted for the shell.
        File.AppendAllText(_folder["fleet.toml"], "\n[[project]]\nname = \"spaced\"\nlocation = \"with space\"\nengine_url = \"https://example.invalid/engine.git\"\nref = \"v0.1.0\"\n");
        Shell.Git(_folder.Path, "init", "-q", _folder["with space"]);
        var notCheckedOut = Run("StartProject", "--project", "spaced");
        Assert.Equal(2, notCheckedOut.ExitCode);
        Assert.Contains($"run: git -C '{_folder["with space"]}' submodule update --init engine", notCheckedOut.Err);
    }
}
