using Orchestrator.Fleet;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

public sealed class ValidationTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly EngineRepository _engine;

    public ValidationTests() => _engine = EngineRepository.Create(_folder.Path);

    public void Dispose() => _folder.Dispose();

    private ValidationReport Validate(string projects, string[]? only = null, int parallel = 4)
    {
        var fleet = _folder.Write("fleet.toml", $"""
            [defaults]
            engine_url = "./engine.git"
            ref = "v0.1.0"

            {projects}
            """);
        return FleetValidation.Run(AbsolutePath.Create(fleet), only, null, parallel);
    }

    private string Short(string reference) => _engine.CommitOf(reference)[..7];

    [Fact]
    public void A_project_pinned_where_its_ref_says_is_clean_for_annotated_and_lightweight_tags()
    {
        ProjectRepository.Create(_folder["api"], _engine, "v0.1.0");
        ProjectRepository.Create(_folder["web"], _engine, "v0.2.0");
        var report = Validate("""
            [[project]]
            name = "api"
            location = "api"

            [[project]]
            name = "web"
            location = "web"
            ref = "v0.2.0"
            """);
        Assert.Equal(0, report.ProblemCount);
        Assert.Equal(["api", "web"], report.Projects.Select(p => p.Name));
    }

    [Fact]
    public void Drift_is_reported_with_both_sides()
    {
        ProjectRepository.Create(_folder["api"], _engine, "v0.1.0");
        var report = Validate("""
            [[project]]
            name = "api"
            location = "api"
            ref = "v0.2.0"
            """);
        var problem = Assert.Single(Assert.Single(report.Projects).Problems);
        Assert.Equal($"fleet.toml:5:1: api: engine pinned at {Short("v0.1.0")} (v0.1.0) but fleet.toml says v0.2.0; run ./build.sh UpdateEngine --project api --ref v0.2.0, or set ref to the pinned version",
            problem.ToString().Replace(_folder.Path + "/", ""));
    }

    [Fact]
    public void Every_kind_of_project_problem_is_found_and_grouped_by_project()
    {
        ProjectRepository.Create(_folder["wrong-url"], _engine, "v0.1.0");
        Shell.Git(_folder["wrong-url"], "config", "--file", ".gitmodules", "submodule.engine.url", "https://example.invalid/other.git");
        Shell.Git(_folder["wrong-url"], "commit", "-qam", "other engine");
        ProjectRepository.Create(_folder["bad-config"], _engine, "v0.1.0", agentsToml: "session_prefix = \n");
        ProjectRepository.Create(_folder["no-config"], _engine, "v0.1.0");
        Shell.Git(_folder["no-config"], "rm", "-q", "agents.toml");
        Shell.Git(_folder["no-config"], "commit", "-qm", "no config");
        Directory.CreateDirectory(_folder["plain"]);
        ProjectRepository.Create(_folder["unknown-ref"], _engine, "v0.1.0");

        var report = Validate("""
            [[project]]
            name = "wrong-url"
            location = "wrong-url"

            [[project]]
            name = "bad-config"
            location = "bad-config"

            [[project]]
            name = "no-config"
            location = "no-config"

            [[project]]
            name = "plain"
            location = "plain"

            [[project]]
            name = "remote-only"
            location = "remote-only"
            remote = "git@example.invalid:team/remote-only.git"

            [[project]]
            name = "unknown-ref"
            location = "unknown-ref"
            ref = "v0.3.0"
            """, parallel: 2);
        string Only(string name) => Assert.Single(report.Projects.Single(p => p.Name == name).Problems).Message;

        Assert.Equal("wrong-url: engine/ comes from https://example.invalid/other.git but fleet.toml says engine_url = \"./engine.git\"; fix one (git submodule set-url engine " + _engine.Url + ")", Only("wrong-url"));
        Assert.Equal("bad-config: its harness does not accept agents.toml: status exited 1: agents.toml:1:1: session_prefix must be a string, e.g. session_prefix = \"p-\"", Only("bad-config"));
        Assert.Equal("no-config: no-config/agents.toml is missing; create it with the harness's init (engine/agents init .)", Only("no-config"));
        Assert.Equal("plain: plain is not a git repository; fix 'location' or run git init there", Only("plain"));
        Assert.Equal("remote-only: not cloned: remote-only does not exist; clone git@example.invalid:team/remote-only.git there", Only("remote-only"));
        Assert.Equal("unknown-ref: ref 'v0.3.0' does not exist in ./engine.git; nearest tags: v0.2.0, v0.1.0", Only("unknown-ref"));
        Assert.Equal(6, report.ProblemCount);
    }

    [Fact]
    public void Registry_problems_come_back_as_a_report_not_an_exception()
    {
        var report = Validate("""
            [[project]]
            name = "api"
            location = "api"
            refs = "v1"
            """);
        var problem = Assert.Single(Assert.Single(report.Projects).Problems);
        Assert.Contains("unknown key 'refs' in project 'api'; did you mean 'ref'?", problem.Message);
    }

    [Fact]
    public void ValidateFleet_reports_a_duplicate_name_with_the_entries_other_problems()
    {
        var fleet = _folder.Write("fleet.toml", """
            [[project]]
            name = "api"
            location = "api"

            [[project]]
            name = "api"
            location = "api2"
            """);
        var report = FleetValidation.Run(AbsolutePath.Create(fleet), null, null, 4);
        var problems = Assert.Single(report.Projects).Problems.Select(p => p.Message).ToList();
        Assert.Contains("duplicate project name 'api' (first at 1:1); rename or remove one", problems);
        Assert.Contains("project 'api' has no 'engine_url'; add engine_url = \"...\" or set engine_url in [defaults]", problems);
        Assert.Equal(5, report.ProblemCount);
    }

    [Fact]
    public void A_missing_registry_means_validation_could_not_run()
    {
        var missing = Assert.Throws<TargetFailedException>(() =>
            FleetValidation.Run(AbsolutePath.Create(_folder["nowhere/fleet.toml"]), null, null, 4));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("fleet.toml not found; create it (see docs/fleet-registry.md) or pass --fleet PATH", missing.Message);
    }

    [Fact]
    public void Only_the_selected_projects_are_checked()
    {
        ProjectRepository.Create(_folder["api"], _engine, "v0.1.0");
        var report = Validate("""
            [[project]]
            name = "api"
            location = "api"

            [[project]]
            name = "gone"
            location = "gone"
            """, only: ["api"]);
        Assert.Equal(["api"], report.Projects.Select(p => p.Name));
        Assert.Equal(0, report.ProblemCount);
    }
}
