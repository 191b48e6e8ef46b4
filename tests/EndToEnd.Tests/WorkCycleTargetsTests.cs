using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// The fleet's work-cycle targets on real projects made with the real engine: scripted command work agents (a planner
/// that emits tasks, a worker that writes a file and reports its cost) so that RunCycle really merges tasks; a paused
/// project skipped; a project without [work] and one on the Python harness showing "no work cycles"; FleetCosts and
/// FleetStatus --live from the runs the engine recorded; Ctrl-C stopping the harness and its workers.
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class WorkCycleTargetsTests : IDisposable, IClassFixture<AgentOperationsTests.JitEngineCache>
{
    private readonly FreshClone _clone;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly TemporaryFolder _folder = new();
    private readonly string _engine;
    private readonly List<int> _workers = [];

    public WorkCycleTargetsTests(FreshClone clone, AgentOperationsTests.JitEngineCache engines)
    {
        _clone = clone;
        _environment = engines.Environment;
        _engine = _folder["engine.git"];
        Shell.Git(_folder.Path, "init", "-q", "--bare", _engine);
        _folder.Write("fleet.toml", "");
        Succeeds("PublishEngine", "--engine-repo", _engine);
    }

    public void Dispose()
    {
        foreach (var pid in _workers)
            Shell.Run(_folder.Path, "kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        _folder.Dispose();
    }

    private Outcome Run(params string[] arguments) =>
        _clone.Run(_folder.Path, [.. arguments, "--fleet", _folder["fleet.toml"], "--no-logo"], _environment);

    private Outcome Succeeds(params string[] arguments)
    {
        var outcome = Run(arguments);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return outcome;
    }

    private string Dir(string project) => _folder[$"projects/{project}"];

    private Outcome Engine(string project, params string[] arguments) =>
        Shell.Run(Dir(project), Path.Combine(Dir(project), "engine", "agents"), arguments, _environment);

    private JsonElement EngineJson(string project, params string[] arguments)
    {
        var outcome = Engine(project, arguments);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return JsonDocument.Parse(outcome.Out).RootElement.Clone();
    }

    private static string ResultLine(double usd, bool success = true) =>
        $$$"""echo '{"type":"result","subtype":"{{{(success ? "success" : "error_during_execution")}}}","is_error":{{{(success ? "false" : "true")}}},"result":"done","total_cost_usd":{{{usd.ToString(CultureInfo.InvariantCulture)}}},"usage":{"input_tokens":100,"output_tokens":20,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}'""";

    /// <summary>A project of the fleet, made by CreateProject, whose agents.toml is <paramref name="agents"/> and whose scripts are committed.</summary>
    private void CreateProject(string name, string agents, params (string File, string Body)[] scripts)
    {
        Succeeds("CreateProject", "--name", name, "--engine-url", _engine, "--ref", "v0.1.0", "--register");
        if (agents.Length > 0)
            File.WriteAllText(Path.Combine(Dir(name), "agents.toml"), $"session_prefix = \"{name}-\"\n\n{agents}");
        foreach (var (file, body) in scripts)
        {
            var path = Path.Combine(Dir(name), file);
            File.WriteAllText(path, "#!/usr/bin/env bash\ncat > /dev/null\n" + body + "\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
        Shell.Git(Dir(name), "add", "-A");
        Shell.Git(Dir(name), "commit", "-q", "--allow-empty", "-m", "Work cycles");
    }

    private const string PlannerAndWorker = """
        [work]
        backend = "command"
        model = "scripted"
        max_workers = 2
        planner_command = ["./plan.sh"]
        worker_command = ["./work.sh"]
        """;

    /// <summary>A project on the Python harness, which has no work cycles.</summary>
    private void CreatePythonProject(string name)
    {
        var harness = _folder["py-engine"];
        Directory.CreateDirectory(harness);
        File.WriteAllText(Path.Combine(harness, "agents.py"), """
            import json, sys
            if sys.argv[1:2] == ["status"]:
                print(json.dumps({"agents": [{"name": "main", "state": "running", "since": None, "pid": 4242}]}))
            else:
                sys.exit("agents.py: no such command: " + " ".join(sys.argv[1:]))
            """);
        Shell.Git(harness, "init", "-q", "-b", "main");
        Shell.Git(harness, "add", "-A");
        Shell.Git(harness, "commit", "-q", "-m", "Python harness");
        Shell.Git(harness, "tag", "v1.0.0");
        Directory.CreateDirectory(Dir(name));
        Shell.Git(Dir(name), "init", "-q", "-b", "main");
        Shell.Git(Dir(name), "submodule", "add", "-q", harness, "engine");
        Shell.Git(Dir(name), "commit", "-q", "-m", "Python project");
        File.AppendAllText(_folder["fleet.toml"], $"""

            [[project]]
            name = "{name}"
            location = "projects/{name}"
            harness = "agent-orchestrator"
            engine_url = "./py-engine"
            ref = "v1.0.0"

            """);
    }

    [Fact]
    public void Cycles_run_through_each_harness_and_the_fleet_sees_their_tasks_costs_and_heartbeats()
    {
        CreateProject("alpha", PlannerAndWorker,
            ("plan.sh", """
                echo '{"tasks": [{"title": "Add a", "description": "write a file"}, {"title": "Add b", "depends_on": [0]}]}'
                """ + "\n" + ResultLine(0.05)),
            ("work.sh", """echo "$AGENTS_TASK_TITLE" > "$AGENTS_TASK_ID.txt"; """ + ResultLine(0.1)));
        CreateProject("beta", """
            [work]
            backend = "command"
            worker_command = ["./work.sh"]
            """,
            ("work.sh", ResultLine(0.02, success: false) + "\nexit 1"));
        CreateProject("plain", "");
        CreatePythonProject("py");

        var planned = Succeeds("PauseProject", "--project", "beta", "--reason", "budget review", "--dry-run");
        Assert.Equal($"would run engine/agents pause --reason 'budget review' in {Dir("beta")}\n", planned.Out);
        Assert.False(EngineJson("beta", "status", "--json").GetProperty("work").GetProperty("paused").GetBoolean());
        Assert.Equal("beta: paused (budget review): no task starts until ./build.sh ResumeProject --project beta; a cycle that runs finishes the tasks it started\n",
            Succeeds("PauseProject", "--project", "beta", "--reason", "budget review").Out);
        Assert.Equal("beta: queued t1: Break it\n", Succeeds("AddTask", "--project", "beta", "--title", "Break it").Out);
        Assert.Equal("plain: no work cycles; nothing queued\n", Succeeds("AddTask", "--project", "plain", "--title", "Anything").Out);
        var unknown = Run("AddTask", "--project", "beta", "--title", "Later", "--depends-on", "t9");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no task t9", unknown.Err);

        // Every project: alpha plans and merges two tasks; the others are skipped, each saying why.
        var cycles = Succeeds("RunCycle", "--project", "*", "--parallel", "2");
        Assert.Contains("beta: skipped, paused (budget review); resume it with ./build.sh ResumeProject --project beta\n", cycles.Out);
        Assert.Contains("plain: skipped, no work cycles\n", cycles.Out);
        Assert.Contains("py: skipped, no work cycles\n", cycles.Out);
        Assert.True(Regex.IsMatch(cycles.Out, @"alpha: cycle 1 succeeded: planned 2, merged t1 t2; \$0\.25, 360 tokens \(\d+s\)\n"), cycles.ToString());
        Assert.Contains("4 projects: 1 succeeded, 0 failed, 3 skipped; $0.25, 360 tokens", cycles.Out);
        Assert.Contains("alpha: ", cycles.Err);
        Assert.Contains("t2: merged", cycles.Err);
        Assert.Equal(("Add a", "Add b"), (Shell.Git(Dir("alpha"), "show", "main:t1.txt"), Shell.Git(Dir("alpha"), "show", "main:t2.txt")));

        var tasks = Succeeds("Tasks", "--project", "alpha").Out;
        Assert.Matches(@"t1\s+merged\s+\$0\.10\s+-\s+Add a\n", tasks);
        Assert.Matches(@"t2\s+merged\s+\$0\.10\s+t1\s+Add b\n", tasks);
        Assert.Equal("py: no work cycles (python3 engine/agents.py has none)\n", Succeeds("Tasks", "--project", "py").Out);
        var noTasks = JsonDocument.Parse(Succeeds("Tasks", "--project", "plain", "--json").Out).RootElement;
        Assert.False(noTasks.GetProperty("work_cycles").GetBoolean());
        var queued = JsonDocument.Parse(Succeeds("Tasks", "--project", "beta", "--state", "queued", "--json").Out).RootElement;
        Assert.Equal("Break it", Assert.Single(queued.GetProperty("tasks").EnumerateArray()).GetProperty("title").GetString());
        Assert.Equal(2, Run("Tasks", "--project", "beta", "--state", "nope").ExitCode);

        // beta's worker fails: RunCycle fails and says how to run that cycle again; the command it prints works.
        Assert.Equal("beta: resumed (it was paused: budget review)\n", Succeeds("ResumeProject", "--project", "beta").Out);
        var failing = Run("RunCycle", "--project", "alpha", "beta", "--no-plan");
        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.True(Regex.IsMatch(failing.Out, @"beta: cycle 1 failed: failed t1; \$0\.02, 120 tokens \(\d+s\)\n"), failing.ToString());
        Assert.Contains("alpha: cycle 2 succeeded", failing.Out);
        const string rerun = "./build.sh RunCycle --project beta --no-plan";
        Assert.Contains($"1 of 2 cycles failed; fix what is said above, then run again: {rerun}", failing.Err);
        var again = Shell.Run(_clone.Root, "bash", ["-c", $"{rerun} --fleet \"$FLEET\" --no-logo"],
            new Dictionary<string, string>(_environment) { ["FLEET"] = _folder["fleet.toml"] });
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("beta: cycle 2 succeeded", again.Out);

        // The costs the engine recorded, per project per day, and the fleet's.
        var costs = JsonDocument.Parse(Succeeds("FleetCosts", "--json").Out).RootElement;
        var projects = costs.GetProperty("projects").EnumerateArray().ToDictionary(p => p.GetProperty("project").GetString()!);
        Assert.Equal((0.25, 0.02), (projects["alpha"].GetProperty("cost_usd").GetDouble(), projects["beta"].GetProperty("cost_usd").GetDouble()));
        Assert.Equal((false, false), (projects["plain"].GetProperty("work_cycles").GetBoolean(), projects["py"].GetProperty("work_cycles").GetBoolean()));
        Assert.Equal(3, projects["alpha"].GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("runs").GetInt32()));
        Assert.Equal((0.27, 480L), (costs.GetProperty("cost_usd").GetDouble(), costs.GetProperty("tokens").GetProperty("total").GetInt64()));
        Assert.Equal(0.27, costs.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("cost_usd").GetDouble()), 6);
        Assert.Contains("fleet total: $0.27, 480 tokens over 2 projects with work cycles", Succeeds("FleetCosts").Out);
        var tomorrow = JsonDocument.Parse(Succeeds("FleetCosts", "--since", DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd"), "--json").Out).RootElement;
        Assert.Equal(0, tomorrow.GetProperty("cost_usd").GetDouble());
        var badSince = Run("FleetCosts", "--since", "yesterday");
        Assert.Equal(2, badSince.ExitCode);
        Assert.Contains("--since 'yesterday' is not a date; write it as YYYY-MM-DD", badSince.Err);

        // FleetStatus --live: each project's work cycles and the fleet's totals.
        var status = JsonDocument.Parse(Succeeds("FleetStatus", "--live", "--json").Out).RootElement;
        var live = status.GetProperty("projects").EnumerateArray().ToDictionary(p => p.GetProperty("project").GetProperty("name").GetString()!, p => p.GetProperty("live"));
        var alpha = live["alpha"].GetProperty("work");
        Assert.Equal(("stopped", false, 2, 0.25), (alpha.GetProperty("liveness").GetString(), alpha.GetProperty("paused").GetBoolean(),
            alpha.GetProperty("tasks").GetProperty("merged").GetInt32(), alpha.GetProperty("cost_usd_total").GetDouble()));
        Assert.Equal(JsonValueKind.Null, live["plain"].GetProperty("work").ValueKind);
        Assert.Equal(JsonValueKind.Null, live["py"].GetProperty("work").ValueKind);
        var work = status.GetProperty("work");
        Assert.Equal((2, 2, 1, 0.27), (work.GetProperty("projects").GetInt32(), work.GetProperty("tasks").GetProperty("merged").GetInt32(),
            work.GetProperty("tasks").GetProperty("failed").GetInt32(), work.GetProperty("cost_usd_total").GetDouble()));
        var text = Succeeds("FleetStatus", "--live").Out;
        Assert.Matches(@"\nWORK\s+HEARTBEAT\s+PAUSED\s+QUEUED\s+RUNNING\s+MERGED\s+FAILED\s+TODAY\s+TOTAL\n", text);
        Assert.Matches(@"\nalpha\s+stopped\s+no\s+0\s+0\s+2\s+0\s+\$0\.25\s+\$0\.25\n", text);
        Assert.Matches(@"\npy\s+no work cycles\n", text);
        Assert.Contains("work: 2 projects with work cycles: 0 running, 0 stale, 2 stopped, 0 paused; tasks 0 queued, 0 running, 2 merged, 1 failed; $0.27 today, $0.27 in total", text);
    }

    [Fact]
    public void Ctrl_C_stops_the_cycle_and_its_workers_and_their_tasks_go_back_to_the_queue()
    {
        var pidFile = _folder["worker.pid"];
        CreateProject("slow", """
            [work]
            backend = "command"
            worker_command = ["./work.sh"]
            """,
            ("work.sh", $"echo $$ > '{pidFile}'; exec sleep 600"));
        Succeeds("AddTask", "--project", "slow", "--title", "Take your time");
        Assert.Equal($"would run engine/agents cycle --json --no-plan in {Dir("slow")}\n", Succeeds("RunCycle", "--project", "slow", "--no-plan", "--dry-run").Out);

        var start = new ProcessStartInfo(Path.Combine(_clone.Root, "build.sh"))
        {
            WorkingDirectory = _folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "RunCycle", "--project", "slow", "--no-plan", "--fleet", _folder["fleet.toml"], "--no-logo" })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in Shell.GitIdentity.Concat(_environment))
            start.Environment[name] = value;
        using var runbook = Process.Start(start)!;
        var output = runbook.StandardOutput.ReadToEndAsync();
        var errors = runbook.StandardError.ReadToEndAsync();
        var worker = int.Parse(Poll.Until(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is { Length: > 0 } pid ? pid : null, "the worker's pid file"));
        _workers.Add(worker);
        Assert.True(IsAlive(worker));

        Shell.Run(_folder.Path, "kill", ["-INT", runbook.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(runbook.WaitForExit(TimeSpan.FromSeconds(60)), "RunCycle did not stop on Ctrl-C");
        Assert.NotEqual(0, runbook.ExitCode);
        Assert.True(output.Wait(TimeSpan.FromSeconds(30)) && errors.Wait(TimeSpan.FromSeconds(30)), "the runbook's output never closed");
        Assert.Matches(@"RunCycle\s+Aborted", errors.Result);
        Poll.Until(() => IsAlive(worker) ? null : "stopped", "the worker's end");

        var task = Assert.Single(EngineJson("slow", "tasks", "--json").EnumerateArray());
        Assert.Equal("queued", task.GetProperty("state").GetString());
        Assert.Equal("aborted", EngineJson("slow", "history", "--json")[0].GetProperty("state").GetString());
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].Split(' ')[0] is not "Z";
}
