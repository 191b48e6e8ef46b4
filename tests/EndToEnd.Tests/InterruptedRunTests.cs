using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// Real signals to a real runbook and its git processes, each held at a named git call so the signal lands there:
/// Ctrl-C and SIGTERM undo, kill -9 is finished or rolled back by the next run, and two runs of one name never collide.
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class InterruptedRunTests : IDisposable
{
    /// <summary>One project, api, inheriting its engine and ref (v0.1.0) from [defaults].</summary>
    internal const string Fleet = """
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        [[project]]
        name = "api"
        location = "api"

        """;

    private readonly FreshClone _clone;
    private readonly FleetWorkspace _fleet;
    private readonly InterruptionPoints _points = new();

    public InterruptedRunTests(FreshClone clone)
    {
        _clone = clone;
        _fleet = new FleetWorkspace(clone, Fleet);
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.1.0");
    }

    public void Dispose()
    {
        _points.Release();
        _points.WaitForNoProcesses(TimeSpan.FromSeconds(30));
        _points.Dispose();
        _fleet.Dispose();
    }

    private string Git(string folder, params string[] arguments) => Shell.Git(_fleet[folder], arguments);

    private SignalledRun Start(string[] command, params Hold[] holds) => new(_clone, _fleet, command, _points.Environment(holds));

    private static readonly string[] CreateAlpha = ["CreateProject", "--name", "alpha", "--register"];
    private static readonly string[] BumpApi = ["UpdateEngine", "--project", "api", "--ref", "v0.2.0"];

    /// <summary>Signals a run held at its first hold, waits for it and for every process it started, then lets any survivor go.</summary>
    private Outcome Interrupt(SignalledRun run, string signal, bool group)
    {
        Assert.True(run.WaitUntilHeld(_points), "the run never reached its hold");
        run.Signal(signal, group);
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(60)), "the runbook did not end");
        if (signal != "KILL")
            Assert.True(_points.WaitForNoProcesses(TimeSpan.FromSeconds(10)), $"processes of the run outlived it: {string.Join(", ", _points.LiveProcesses())}");
        _points.Release();
        Assert.True(_points.WaitForNoProcesses(TimeSpan.FromSeconds(60)));
        return run.Outcome;
    }

    [Fact]
    public void Ctrl_c_in_CreateProject_stops_git_removes_the_project_and_exits_1()
    {
        using var run = Start(CreateAlpha, Hold.Before("add -A"));
        var interrupted = Interrupt(run, "INT", group: true);

        Assert.Equal(1, interrupted.ExitCode);
        Assert.Contains($"CreateProject: aborted: interrupted at step 'stage everything'; undone: {_fleet["projects/alpha"]} removed", interrupted.Err);
        Assert.False(Directory.Exists(_fleet["projects"]));
        Assert.Equal(Fleet, _fleet.Fleet);
        Assert.False(Directory.Exists(_fleet[".fleet.toml.journal"]));

        var again = _fleet.Run(CreateAlpha);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public void Sigterm_in_UpdateEngine_stops_the_commit_and_restores_the_pin()
    {
        var head = Git("api", "rev-parse", "HEAD");
        using var run = Start(BumpApi, Hold.Before("commit -q"));
        var interrupted = Interrupt(run, "TERM", group: false);

        Assert.Equal(1, interrupted.ExitCode);
        Assert.Contains($"api: interrupted; undone: engine/ back at {_fleet.Engine.CommitOf("v0.1.0")[..7]}", interrupted.Out);
        Assert.Contains("UpdateEngine: aborted: 1 of 1 interrupted and left as they were; run the same command again to finish", interrupted.Err);
        Assert.Equal(head, Git("api", "rev-parse", "HEAD"));
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git("api/engine", "rev-parse", "HEAD"));
        Assert.Equal("", Git("api", "status", "--porcelain"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void Kill_9_after_CreateProjects_commit_is_finished_by_the_same_command()
    {
        using var run = Start(CreateAlpha, Hold.After("commit -q"));
        var killed = Interrupt(run, "KILL", group: false);
        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(Fleet, _fleet.Fleet);
        Assert.True(File.Exists(_fleet[".fleet.toml.journal/CreateProject-alpha.json"]));

        var planned = _fleet.Run([.. CreateAlpha, "--dry-run"]);
        Assert.Contains("pending: CreateProject of 'alpha'", planned.Err);
        Assert.True(File.Exists(_fleet[".fleet.toml.journal/CreateProject-alpha.json"]));
        Assert.Equal(Fleet, _fleet.Fleet);

        var again = _fleet.Run(CreateAlpha);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Matches(@"recovered: CreateProject of 'alpha' \(pid \d+, started [^)]+\) was interrupted; finished \(it stopped after its commit\)", again.Err);
        Assert.Contains($"created {_fleet["projects/alpha"]} (the interrupted run was finished), registered in", again.Out);
        Assert.Contains("name = \"alpha\"", _fleet.Fleet);
        Assert.Equal("", Git("projects/alpha", "status", "--porcelain"));
        Assert.False(Directory.Exists(_fleet[".fleet.toml.journal"]));
        Assert.Equal(0, _fleet.Run("ValidateFleet").ExitCode);
    }

    [Fact]
    public void Kill_9_between_UpdateEngines_checkout_and_commit_is_rolled_back_by_ValidateFleet()
    {
        using var run = Start(BumpApi, Hold.After("checkout -q --detach"));
        Interrupt(run, "KILL", group: false);
        // The half-bumped pin the journal exists for: engine/ at the new commit, the gitlink unchanged.
        Assert.Equal(_fleet.Engine.CommitOf("v0.2.0"), Git("api/engine", "rev-parse", "HEAD"));
        Assert.Equal(" M engine", Shell.Run(_fleet["api"], "git", ["status", "--porcelain"]).Out.TrimEnd());

        var validated = _fleet.Run("ValidateFleet");
        Assert.True(validated.ExitCode == 0, validated.ToString());
        Assert.Matches(@"recovered: UpdateEngine of 'api' \(pid \d+, [^)]+\) was interrupted; rolled back \(it stopped before its commit\): engine/ back at ", validated.Err);
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git("api/engine", "rev-parse", "HEAD"));
        Assert.Equal("", Git("api", "status", "--porcelain"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_second_signal_stops_waiting_for_the_undo_and_the_next_run_finishes_it()
    {
        using var run = Start(BumpApi, Hold.After("commit -q"), Hold.Before("reset -q --soft"));
        Assert.True(run.WaitUntilHeld(_points, 1));
        run.Signal("TERM", group: false);
        Assert.True(run.WaitUntilHeld(_points, 2), "the undo never started");
        run.Signal("TERM", group: false);
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(60)));
        // The runbook stops its programs as it ends; the journal remembers what was left undone.
        _points.Release();
        Assert.True(_points.WaitForNoProcesses(TimeSpan.FromSeconds(60)));
        var stopped = run.Outcome;
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("UpdateEngine: aborted; stopped before its undo finished", stopped.Err);
        Assert.True(File.Exists(_fleet[".fleet.toml.journal/UpdateEngine-api.json"]));

        var again = _fleet.Run(BumpApi);
        Assert.True(again.ExitCode == 0, again.ToString());
        // The bump was committed when the undo stopped: the recovery finishes it.
        Assert.Contains("recovered: UpdateEngine of 'api'", again.Err);
        Assert.Contains("was interrupted; finished (it stopped after its commit)", again.Err);
        Assert.Contains("ref = \"v0.2.0\"", _fleet.Fleet);
        Assert.Equal(_fleet.Engine.CommitOf("v0.2.0"), Git("api/engine", "rev-parse", "HEAD"));
        Assert.Equal("", Git("api", "status", "--porcelain"));
        Assert.Equal("2", Git("api", "rev-list", "--count", "HEAD"));
    }

    [Fact]
    public void Two_CreateProject_runs_of_one_name_one_wins_the_other_says_so_and_leaves_nothing()
    {
        using var first = Start(CreateAlpha, Hold.After("init -q"));
        Assert.True(first.WaitUntilHeld(_points));

        var second = _fleet.Run(CreateAlpha);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("CreateProject of 'alpha' is already running in another runbook; wait for it to finish, then run again", second.Err);

        _points.Release();
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(120)));
        Assert.True(_points.WaitForNoProcesses(TimeSpan.FromSeconds(30)));
        Assert.True(first.Outcome.ExitCode == 0, first.Outcome.ToString());

        var taken = _fleet.Run(CreateAlpha);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains($"{_fleet["projects/alpha"]} already exists and is not empty", taken.Err);
        Assert.Equal(["Create alpha with engine v0.1.0 (" + _fleet.Engine.CommitOf("v0.1.0")[..7] + ")"], Git("projects/alpha", "log", "--format=%s").Split('\n'));
        Assert.Single(Directory.GetDirectories(_fleet["projects"]));
        Assert.False(Directory.Exists(_fleet[".fleet.toml.journal"]));
    }

    [Fact]
    public void Runs_of_one_name_started_together_make_one_project()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var name = $"race{attempt}";
            var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => _fleet.Run("CreateProject", "--name", name, "--register"))).ToList();
            var outcomes = runs.Select(r => r.Result).ToList();
            Assert.True(outcomes.Count(o => o.ExitCode == 0) == 1, string.Join("\n", outcomes));
            var loser = outcomes.Single(o => o.ExitCode != 0);
            Assert.Equal(2, loser.ExitCode);
            Assert.Matches("is already running in another runbook|already has a project|already exists and is not empty", loser.Err);
            Assert.Equal("", Git($"projects/{name}", "status", "--porcelain"));
        }
        Assert.Equal(0, _fleet.Run("ValidateFleet").ExitCode);
        Assert.False(Directory.Exists(_fleet[".fleet.toml.journal"]));
    }

    [Fact]
    public void A_finished_project_made_without_register_is_adopted_not_made_again()
    {
        Assert.Equal(0, _fleet.Run("CreateProject", "--name", "beta").ExitCode);
        var again = _fleet.Run("CreateProject", "--name", "beta", "--register");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"{_fleet["projects/beta"]} already exists and is not empty; choose another --name or --dir, " +
            "or add this one to the fleet: ./build.sh RegisterProject --name beta --location projects/beta", again.Err);
    }
}
