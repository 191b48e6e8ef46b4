using System.Diagnostics;
using System.Text.Json;
using TestSupport;

namespace EndToEnd.Tests;

[Collection(FreshCloneCollection.Name)]
public sealed class RegistryTargetsTests : IDisposable
{
    private const string Fleet = """
        # Our fleet.
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        # The API service.
        [[project]]
        name = "api"
        location = "api"
        tags = ["backend"]

        # Old docs bot, kept for reference.
        [[project]]
        name = "docs"
        location = "docs"   # never cloned here
        remote = "git@example.invalid:team/docs.git"
        enabled = false

        # Trailing notes stay at the end.

        """;

    private const string Trailer = "\n# Trailing notes stay at the end.\n";

    private readonly FreshClone _clone;
    private readonly FleetWorkspace _fleet;

    public RegistryTargetsTests(FreshClone clone)
    {
        _clone = clone;
        _fleet = new FleetWorkspace(clone, Fleet);
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.2.0");
        File.WriteAllText(_fleet["api/notes.txt"], "work in progress\n");
    }

    public void Dispose() => _fleet.Dispose();

    private Outcome Succeeds(params string[] arguments) => _fleet.Succeeds(arguments);

    [Fact]
    public void ListFleet_shows_one_line_per_project_for_people_and_the_entries_for_machines()
    {
        Assert.Equal("""
            NAME  ENABLED  ENGINE         LOCATION
            api   yes      agents@v0.1.0  api
            docs  no       agents@v0.1.0  docs

            """, Succeeds("ListFleet").Out);
        using var json = JsonDocument.Parse(Succeeds("ListFleet", "--tag", "backend", "--json").Out);
        var api = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("api", api.GetProperty("name").GetString());
        Assert.Equal("./engine.git", api.GetProperty("engine_url").GetString());
        Assert.Equal(_fleet["api"], api.GetProperty("path").GetString());
        Assert.Equal("docs", Assert.Single(JsonDocument.Parse(Succeeds("ListFleet", "--project", "d*", "--json").Out).RootElement.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public void FleetStatus_adds_totals_and_each_projects_git_facts()
    {
        var status = Succeeds("FleetStatus").Out;
        Assert.Contains("api   yes      agents@v0.1.0  api       1 uncommitted, no upstream, engine: engine pinned at", status);
        Assert.Contains("docs  no       agents@v0.1.0  docs      not cloned (remote git@example.invalid:team/docs.git)", status);
        Assert.Contains("2 projects: 1 enabled, 1 disabled", status);

        using var json = JsonDocument.Parse(Succeeds("FleetStatus", "--json").Out);
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("total").GetInt32());
        var api = json.RootElement.GetProperty("projects")[0];
        Assert.Equal(1, api.GetProperty("git").GetProperty("uncommitted").GetInt32());
        Assert.False(api.GetProperty("engine").GetProperty("in_sync").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("projects")[1].GetProperty("git").ValueKind);
    }

    [Fact]
    public void FleetStatus_is_the_default_target() =>
        Assert.Contains("2 projects: 1 enabled, 1 disabled", Succeeds().Out);

    [Fact]
    public void ValidateFleet_groups_problems_by_project_and_annotates_under_github_actions()
    {
        var human = _fleet.Run("ValidateFleet");
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("api (api)\n  fleet.toml:7:1: api: engine pinned at", human.Out);
        Assert.Contains("docs (docs)\n  fleet.toml:13:1: docs: not cloned: docs does not exist; clone git@example.invalid:team/docs.git there", human.Out);
        Assert.Contains("2 projects checked, 2 with problems; 2 problems in all", human.Out);

        var annotated = _fleet.Run(["ValidateFleet", "--project", "api"], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });
        Assert.Contains("::error file=fleet.toml,line=7,col=1::api: engine pinned at", annotated.Out);

        using var json = JsonDocument.Parse(_fleet.Run("ValidateFleet", "--json").Out);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("problem_count").GetInt32());

        File.WriteAllText(_fleet.FleetFile, "[[project]]\nname = \"x\"\nrefs = 1\n");
        var broken = _fleet.Run("ValidateFleet");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("fleet.toml:3:1: unknown key 'refs' in project 'x'; did you mean 'ref'?", broken.Out);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Parallel_below_one_is_refused_before_anything_runs_by_every_target_that_takes_it(string parallel)
    {
        foreach (var target in new[] { "ValidateFleet", "FleetStatus", "IsolationCheck", "UpdateEngine" })
        {
            var refused = _fleet.Run(target, "--project", "api", "--ref", "v0.2.0", "--parallel", parallel);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Equal($"error: {target} requires --parallel >= 1\n", refused.Err);
        }
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void One_of_a_thing_is_counted_in_the_singular()
    {
        var validated = _fleet.Run("ValidateFleet", "--project", "api");
        Assert.Contains("1 project checked, 1 with problems; 1 problem in all", validated.Out);
        Assert.Contains("error: ValidateFleet: 1 problem found in fleet.toml", validated.Err);
        Assert.Contains("1 project: 1 enabled, 0 disabled", Succeeds("FleetStatus", "--project", "api").Out);
    }

    [Fact]
    public void GetProject_shows_the_resolved_entry_or_one_bare_field()
    {
        Assert.Equal("v0.1.0\n", Succeeds("GetProject", "--project", "api", "--field", "ref").Out);
        Assert.Equal("backend\n", Succeeds("GetProject", "--project", "api", "--field", "tags").Out);
        Assert.Contains("engine_url = ./engine.git", Succeeds("GetProject", "--project", "api").Out);
        using (var json = JsonDocument.Parse(Succeeds("GetProject", "--project", "docs", "--json").Out))
        {
            Assert.False(json.RootElement.GetProperty("enabled").GetBoolean());
            Assert.Equal("v0.1.0", json.RootElement.GetProperty("ref").GetString());
            Assert.Equal("git@example.invalid:team/docs.git", json.RootElement.GetProperty("remote").GetString());
        }
        var badField = _fleet.Run("GetProject", "--project", "api", "--field", "colour");
        Assert.Equal(2, badField.ExitCode);
        Assert.Contains("--field colour: no such field; use one of name, location, path", badField.Err);
        var unknown = _fleet.Run("GetProject", "--project", "apx");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("fleet.toml has no project 'apx'; did you mean 'api'?", unknown.Err);
    }

    [Fact]
    public void A_broken_registry_stops_other_targets_with_every_problem_listed()
    {
        File.WriteAllText(_fleet.FleetFile, "[[project]]\nname = \"Bad\"\nlocation = 1\n");
        var listed = _fleet.Run("ListFleet");
        Assert.Equal(2, listed.ExitCode);
        Assert.Contains("error: ListFleet: fleet.toml:2:8: 'Bad' is not a valid project name", listed.Err);
        Assert.Contains("error: fleet.toml:3:12: 'location' must be a string", listed.Err);
    }

    [Fact]
    public void Register_and_unregister_change_only_their_entry()
    {
        var planned = Succeeds("RegisterProject", "--name", "web", "--location", _fleet["web"], "--ref", "v0.2.0", "--tags", "frontend", "beta", "--dry-run");
        Assert.Contains("+[[project]]\n+name = \"web\"\n+location = \"web\"\n+ref = \"v0.2.0\"\n+tags = [\"frontend\", \"beta\"]", planned.Out);
        Assert.Equal(Fleet, _fleet.Fleet);

        Succeeds("RegisterProject", "--name", "web", "--location", _fleet["web"], "--ref", "v0.2.0", "--tags", "frontend", "beta");
        var registered = _fleet.Fleet;
        Assert.StartsWith(Fleet.Replace(Trailer, ""), registered);
        Assert.Equal(0, _fleet.Run("GetProject", "--project", "web").ExitCode);

        var duplicate = _fleet.Run("RegisterProject", "--name", "web", "--location", "x");
        Assert.Equal(2, duplicate.ExitCode);
        Assert.Contains("already has a project 'web'", duplicate.Err);
        var invalid = _fleet.Run("RegisterProject", "--name", "web2", "--location", "x", "--ref", "bad..ref");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("'bad..ref' is not a valid git ref", invalid.Err);
        Assert.Equal(registered, _fleet.Fleet);

        Succeeds("UnregisterProject", "--project", "docs");
        Assert.Equal(registered.Replace("""
            # Old docs bot, kept for reference.
            [[project]]
            name = "docs"
            location = "docs"   # never cloned here
            remote = "git@example.invalid:team/docs.git"
            enabled = false


            """, ""), _fleet.Fleet);
        var unknown = _fleet.Run("UnregisterProject", "--project", "nope");
        Assert.Equal(1, unknown.ExitCode);
    }

    [Fact]
    public void UnregisterProject_takes_names_and_globs_as_the_help_says()
    {
        Succeeds("RegisterProject", "--name", "web-a", "--location", "web-a");
        Succeeds("RegisterProject", "--name", "web-b", "--location", "web-b");

        var removed = Succeeds("UnregisterProject", "--project", "web-*", "docs");

        Assert.Equal("unregistered 'docs', 'web-a', 'web-b' from fleet.toml\n", removed.Out);
        Assert.Equal(["api"], JsonDocument.Parse(Succeeds("ListFleet", "--json").Out).RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var none = _fleet.Run("UnregisterProject", "--project", "web-*");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("error: UnregisterProject: no project of fleet.toml matches 'web-*'; ./build.sh ListFleet lists them", none.Err);

        var single = _fleet.Run("GetProject", "--project", "a*");
        Assert.Equal(2, single.ExitCode);
        Assert.Contains("error: GetProject: --project takes one project's name here, not a pattern ('a*')", single.Err);
    }

    [Fact]
    public void An_unknown_name_in_a_large_fleet_lists_a_few_nearest_names_not_all()
    {
        var projects = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"[[project]]\nname = \"service-{i:00000}\"\nlocation = \"s{i}\"\n\n"));
        File.WriteAllText(_fleet.FleetFile, "[defaults]\nengine_url = \"./engine.git\"\nref = \"v0.1.0\"\n\n" + projects);

        var typo = _fleet.Run("GetProject", "--project", "servce-04242");
        Assert.Contains("error: GetProject: fleet.toml has no project 'servce-04242'; did you mean 'service-04242'?", typo.Err);

        var unknown = _fleet.Run("GetProject", "--project", "billing");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error: GetProject: fleet.toml has no project 'billing'; the nearest of its 50000 projects: service-", unknown.Err);
        Assert.Contains("(./build.sh ListFleet lists them all)", unknown.Err);
        Assert.True(unknown.Err.Length < 2_000, $"{unknown.Err.Length} characters of errors");
    }

    [Fact]
    public void Twenty_concurrent_registrations_all_land()
    {
        var processes = Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _fleet.Run("RegisterProject", "--name", $"p{i:00}", "--location", $"p{i:00}"))).ToList();
        Task.WaitAll(processes);
        Assert.All(processes, p => Assert.True(p.Result.ExitCode == 0, p.Result.ToString()));
        var listed = Succeeds("ListFleet", "--json").Out;
        using var json = JsonDocument.Parse(listed);
        Assert.Equal(22, json.RootElement.GetArrayLength());
        Assert.StartsWith(Fleet.Replace(Trailer, ""), _fleet.Fleet);
    }

    [Fact]
    public void A_process_killed_during_saves_leaves_the_old_or_the_new_file()
    {
        // Kill points sweep the whole run (start-up, load, save), so some land inside the save.
        for (var round = 0; round < 12; round++)
        {
            var before = _fleet.Fleet;
            var start = new ProcessStartInfo(Path.Combine(_clone.Root, "build.sh"))
            {
                WorkingDirectory = _fleet.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "RegisterProject", "--name", $"k{round:00}", "--location", $"k{round:00}", "--fleet", _fleet.FleetFile })
                start.ArgumentList.Add(argument);
            using (var process = Process.Start(start)!)
            {
                Thread.Sleep(40 + round * 15);
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            var after = _fleet.Fleet;
            var grew = after.StartsWith(before.Replace(Trailer, "")) && after.Contains($"name = \"k{round:00}\"");
            Assert.True(after == before || grew, $"round {round}: neither the old nor the new registry:\n{after}");
            Assert.Equal(0, _fleet.Run("ListFleet").ExitCode);
        }
    }
}
