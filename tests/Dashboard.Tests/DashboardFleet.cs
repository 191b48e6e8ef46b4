using System.Net.Http.Headers;
using System.Text.Json;
using Orchestrator.Dashboard;
using TestSupport;

namespace Dashboard.Tests;

/// <summary>A clock some time ahead of the real one, by as much as a test says: heartbeats age without waiting.</summary>
public sealed class AheadClock : TimeProvider
{
    public TimeSpan Ahead { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Ahead;
}

/// <summary>
/// A real fleet with the real engine (published from this checkout to a local bare repository, vendored as each
/// project's engine/ submodule at v0.1.0), served by the dashboard on a free port of 127.0.0.1:
/// <list type="bullet">
/// <item>web: two command agents, started;</item>
/// <item>api: one command agent, started;</item>
/// <item>work: work cycles with a scripted command worker; one cycle ran (t1 merged, $0.25), t2 queued;</item>
/// <item>slow: work cycles whose worker waits ten minutes; t1 queued;</item>
/// <item>idle: one agent, disabled in fleet.toml;</item>
/// <item>away: in fleet.toml only, not cloned.</item>
/// </list>
/// The engine is a JIT build (no C compiler on PATH) in a cache of the fleet's own. Every tmux session is on the
/// projects' own tmux servers; disposing stops every project's agents and watchdog through its harness.
/// </summary>
public sealed class DashboardFleet : IAsyncLifetime
{
    private readonly TemporaryFolder _folder = new();
    private readonly RestrictedPath _noCompiler = new("gcc", "clang", "cc");
    private readonly string _prefix = $"dash{Guid.NewGuid().ToString("N")[..8]}";
    private readonly Dictionary<string, string?> _savedEnvironment = new();

    public static readonly string[] Cloned = ["web", "api", "work", "slow", "idle"];

    public AheadClock Clock { get; } = new();
    internal DashboardServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string FleetFile => _folder["fleet.toml"];

    /// <summary>What the engine, git and the in-process server run with: the cache, no C compiler, a git identity.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public DashboardFleet()
    {
        Environment = new Dictionary<string, string>(Shell.GitIdentity)
        {
            ["XDG_CACHE_HOME"] = _folder["cache"],
            ["PATH"] = _noCompiler.Environment["PATH"],
        };
    }

    public string Project(string name) => _folder[$"projects/{name}"];

    public string Session(string project, string agent) => $"{_prefix}-{project}-{agent}";

    public async Task InitializeAsync()
    {
        // The server runs in this process and starts harnesses with its environment.
        foreach (var (name, value) in Environment)
        {
            _savedEnvironment[name] = System.Environment.GetEnvironmentVariable(name);
            System.Environment.SetEnvironmentVariable(name, value);
        }
        var engine = PublishEngine();
        CreateProject("web", engine, Agents(("talker", "echo hello from talker; exec sleep 600"), ("sleeper", "exec sleep 600")));
        CreateProject("api", engine, Agents(("sleeper", "exec sleep 600")));
        CreateProject("work", engine, WorkCycles, """
            cat > /dev/null
            echo "$AGENTS_TASK_TITLE" > "task-$AGENTS_TASK_ID.txt"
            echo '{"type":"result","subtype":"success","is_error":false,"result":"done","total_cost_usd":0.25,"usage":{"input_tokens":100,"output_tokens":20,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}'
            """);
        CreateProject("slow", engine, WorkCycles, "cat > /dev/null\nexec sleep 600");
        CreateProject("idle", engine, Agents(("sleeper", "exec sleep 600")));
        File.WriteAllText(FleetFile, $"""
            [defaults]
            engine_url = "{engine}"
            ref = "v0.1.0"

            {string.Concat(Cloned.Select(name => $"[[project]]\nname = \"{name}\"\nlocation = \"projects/{name}\"\ntags = [\"dash\"]\n{(name == "idle" ? "enabled = false\n" : "")}\n"))}
            [[project]]
            name = "away"
            location = "projects/away"
            remote = "https://example.invalid/away.git"
            """);

        // The first use builds the engine (once, for every project: they vendor the same one).
        Harness("web", "--version");
        Harness("web", "up");
        Harness("api", "up");
        Harness("work", "task", "add", "Write the notes");
        Harness("work", "cycle", "--no-plan");
        Harness("work", "task", "add", "Write more notes", "--depends-on", "t1");
        Harness("slow", "task", "add", "Wait a long time");

        Server = await DashboardServer.StartAsync(Settings(token: null));
        Http = new HttpClient { BaseAddress = Server.Address };
    }

    internal DashboardSettings Settings(string? token) =>
        new(Runbook.AbsolutePath.Create(FleetFile), ServeAddress.Parse("127.0.0.1", 0, token), token, Clock, DashboardSettings.DefaultFresh)
        {
            ActionPatience = TimeSpan.FromSeconds(3),
        };

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
        foreach (var name in Cloned)
            if (File.Exists(Path.Combine(Project(name), "engine", "agents")))
                Shell.Run(Project(name), Path.Combine(Project(name), "engine", "agents"), ["down"], Environment, TimeSpan.FromMinutes(1));
        foreach (var (name, value) in _savedEnvironment)
            System.Environment.SetEnvironmentVariable(name, value);
        _folder.Dispose();
        _noCompiler.Dispose();
    }

    /// <summary>The project's own harness, run by hand in its folder; it must succeed.</summary>
    public Outcome Harness(string project, params string[] arguments)
    {
        var outcome = Shell.Run(Project(project), Path.Combine(Project(project), "engine", "agents"), arguments, Environment, TimeSpan.FromMinutes(10));
        Assert.True(outcome.ExitCode == 0, $"{project}: engine/agents {string.Join(' ', arguments)}: {outcome}");
        return outcome;
    }

    /// <summary>The project's <c>status --json</c>, asked of its harness by hand.</summary>
    public JsonElement Status(string project) => JsonDocument.Parse(Harness(project, "status", "--json").Out).RootElement.Clone();

    public Dictionary<string, string> AgentStates(string project) =>
        Status(project).GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("state").GetString()!);

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, bool csrf = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (csrf)
            request.Headers.Add("X-Dashboard-Csrf", await CsrfTokenAsync());
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>The CSRF token, read from the page as the page's script reads it.</summary>
    public async Task<string> CsrfTokenAsync()
    {
        var page = await Http.GetStringAsync("/");
        var start = page.IndexOf("name=\"csrf-token\" content=\"", StringComparison.Ordinal) + "name=\"csrf-token\" content=\"".Length;
        return page[start..page.IndexOf('"', start)];
    }

    private string Agents(params (string Name, string Script)[] agents) =>
        string.Concat(agents.Select(a => $"""

            [[agent]]
            name = "{a.Name}"
            kind = "persistent"
            backend = "command"
            command = ["bash", "-c", "{a.Script}"]
            watch = "heal"

            """));

    private const string WorkCycles = """

        [work]
        backend = "command"
        worker_command = ["./work.sh"]
        max_workers = 1
        """;

    /// <summary>This checkout's engine/ as a published engine repository: one commit, tagged v0.1.0.</summary>
    private string PublishEngine()
    {
        var work = _folder["engine-work"];
        var files = Shell.Git(RepositoryRoot.Path, "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "engine")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var relative in files)
        {
            var source = Path.Combine(RepositoryRoot.Path, relative);
            if (!File.Exists(source))
                continue;
            var target = Path.Combine(work, relative["engine/".Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        Shell.Git(work, "init", "-q", "-b", "main");
        Shell.Git(work, "add", "-A");
        Shell.Git(work, "commit", "-q", "-m", "engine");
        Shell.Git(work, "tag", "v0.1.0");
        var bare = _folder["engine.git"];
        Shell.Git(_folder.Path, "clone", "-q", "--bare", work, bare);
        return bare;
    }

    /// <summary>A project as CreateProject makes it: engine/ submodule at v0.1.0, agents.toml, one commit; a work script beside it.</summary>
    private void CreateProject(string name, string engine, string agentsToml, string? worker = null)
    {
        var directory = Project(name);
        Directory.CreateDirectory(directory);
        Shell.Git(directory, "init", "-q", "-b", "main");
        Shell.Git(directory, "submodule", "add", "-q", engine, "engine");
        Shell.Git(Path.Combine(directory, "engine"), "checkout", "-q", "v0.1.0");
        File.WriteAllText(Path.Combine(directory, "agents.toml"), $"session_prefix = \"{_prefix}-{name}-\"\nwatchdog_interval = \"1s\"\n{agentsToml}");
        Shell.Git(directory, "add", "-A");
        Shell.Git(directory, "commit", "-q", "-m", "initial");
        if (worker is not null)
        {
            // Untracked, like a role's tool: the worker's commits are the only ones on top of main.
            var path = Path.Combine(directory, "work.sh");
            File.WriteAllText(path, "#!/bin/sh\n" + worker + "\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFleet>
{
    public const string Name = "dashboard fleet";
}
