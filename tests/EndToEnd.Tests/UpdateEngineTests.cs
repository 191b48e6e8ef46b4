using TestSupport;

namespace EndToEnd.Tests;

[Collection(FreshCloneCollection.Name)]
public sealed class UpdateEngineTests : IDisposable
{
    private const string Fleet = """
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        # The API service.
        [[project]]
        name = "api"
        location = "api"
        ref = "v0.1.0"   # pinned for the release
        tags = ["backend"]

        [[project]]
        name = "worker"
        location = "worker"
        tags = ["backend"]

        """;

    private readonly FleetWorkspace _fleet;

    public UpdateEngineTests(FreshClone clone)
    {
        _fleet = new FleetWorkspace(clone, Fleet);
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.1.0");
        ProjectRepository.Create(_fleet["worker"], _fleet.Engine, "v0.1.0");
    }

    public void Dispose() => _fleet.Dispose();

    private string Git(string project, params string[] arguments) => Shell.Git(_fleet[project], arguments);
    private string Pin(string project) => Git(project, "ls-tree", "HEAD", "engine").Split(' ', '\t')[2];
    private string Short(string reference) => _fleet.Engine.CommitOf(reference)[..7];

    [Fact]
    public void A_bump_is_one_commit_of_the_gitlink_and_the_registry_keeps_its_comments()
    {
        var bumped = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0");
        Assert.True(bumped.ExitCode == 0, bumped.ToString());

        var message = $"Bump engine from v0.1.0 ({Short("v0.1.0")}) to v0.2.0 ({Short("v0.2.0")})";
        Assert.Contains($"api: {message}", bumped.Out);
        Assert.Equal(message, Git("api", "log", "-1", "--format=%s"));
        Assert.Equal("engine", Git("api", "show", "--name-only", "--format=", "HEAD"));
        Assert.Equal("2", Git("api", "rev-list", "--count", "HEAD"));
        Assert.Equal(_fleet.Engine.CommitOf("v0.2.0"), Pin("api"));
        Assert.Equal("", Git("api", "status", "--porcelain"));
        Assert.Equal(Fleet.Replace("ref = \"v0.1.0\"   # pinned", "ref = \"v0.2.0\"   # pinned"), _fleet.Fleet);
        Assert.Equal(0, _fleet.Run("ValidateFleet", "--project", "api").ExitCode);
    }

    [Fact]
    public void Bumps_go_down_as_well_as_up_and_an_inherited_ref_becomes_the_projects_own()
    {
        Assert.Equal(0, _fleet.Run("UpdateEngine", "--project", "worker", "--ref", "v0.2.0").ExitCode);
        Assert.Contains("location = \"worker\"\ntags = [\"backend\"]\nref = \"v0.2.0\"", _fleet.Fleet);
        var down = _fleet.Run("UpdateEngine", "--project", "worker", "--ref", "v0.1.0");
        Assert.True(down.ExitCode == 0, down.ToString());
        var message = $"Move engine back from v0.2.0 ({Short("v0.2.0")}) to v0.1.0 ({Short("v0.1.0")})";
        Assert.Contains($"worker: {message}", down.Out);
        Assert.Equal(message, Git("worker", "log", "-1", "--format=%s"));
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Pin("worker"));
    }

    [Fact]
    public void An_engine_already_at_the_ref_with_another_ref_in_the_registry_says_the_registry_was_updated()
    {
        File.WriteAllText(_fleet.FleetFile, Fleet.Replace("ref = \"v0.1.0\"   # pinned", "ref = \"v0.2.0\"   # pinned"));
        var planned = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.1.0", "--dry-run");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Contains($"api: engine already at v0.1.0 ({Short("v0.1.0")}); would set its ref in fleet.toml from v0.2.0 to v0.1.0", planned.Out);
        Assert.Contains("+ref = \"v0.1.0\"   # pinned for the release", planned.Out);
        Assert.DoesNotContain("nothing to do", planned.Out);

        var updated = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.1.0");
        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Contains($"api: engine already at v0.1.0 ({Short("v0.1.0")}); set its ref in fleet.toml from v0.2.0 to v0.1.0", updated.Out);
        Assert.Equal(Fleet, _fleet.Fleet);
        Assert.Equal("1", Git("api", "rev-list", "--count", "HEAD"));
    }

    [Fact]
    public void Without_a_selection_or_with_a_ref_git_would_take_for_an_option_nothing_runs()
    {
        var unselected = _fleet.Run("UpdateEngine", "--ref", "v0.2.0");
        Assert.Equal(2, unselected.ExitCode);
        Assert.Contains("error: UpdateEngine: name the projects to move: --project NAME... (names or globs; '*' for all) or --tag TAG", unselected.Err);

        var optionLike = _fleet.Run("UpdateEngine", "--project", "api", "--ref=--upload-pack=x");
        Assert.Equal(2, optionLike.ExitCode);
        Assert.Contains("error: UpdateEngine: --ref: '--upload-pack=x' is not a valid git ref: it starts with '-', which git would take for an option", optionLike.Err);
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void Already_at_the_ref_is_a_no_op_that_says_so()
    {
        var noop = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.1.0");
        Assert.True(noop.ExitCode == 0, noop.ToString());
        Assert.Contains($"api: engine already at v0.1.0 ({Short("v0.1.0")}); nothing to do", noop.Out);
        Assert.Equal("1", Git("api", "rev-list", "--count", "HEAD"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_dirty_or_moved_submodule_is_refused()
    {
        File.WriteAllText(_fleet["api/engine/VERSION"], "local edit\n");
        Git("worker/engine", "checkout", "-q", "v0.2.0");

        var refused = _fleet.Run("UpdateEngine", "--tag", "backend", "--ref", "v0.2.0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("api: failed: engine/ has uncommitted changes; commit or discard them first", refused.Out);
        Assert.Contains($"worker: failed: engine/ is checked out at {Short("v0.2.0")} but the project records {Short("v0.1.0")}", refused.Out);
        Assert.Contains("error: UpdateEngine: 2 of 2 failed; fix what is said above, then run again: ./build.sh UpdateEngine --project api worker --ref v0.2.0", refused.Err);
        Assert.Equal(Fleet, _fleet.Fleet);
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Pin("api"));
    }

    [Fact]
    public void An_unknown_ref_lists_the_nearest_tags_and_changes_nothing()
    {
        var unknown = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.3.0");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("api: failed: ref 'v0.3.0' does not exist in the engine repository; nearest tags: v0.2.0, v0.1.0", unknown.Out);
        Assert.Contains("error: UpdateEngine: 1 of 1 failed; 'v0.3.0' is not a ref of the engine repository of api; choose one of the tags listed above", unknown.Err);
        Assert.DoesNotContain("run again", unknown.Err);
        Assert.Equal("1", Git("api", "rev-list", "--count", "HEAD"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_commit_refused_by_a_hook_restores_the_previous_pin()
    {
        var hook = _fleet.Write("api/.git/hooks/pre-commit", "#!/bin/sh\necho 'commits are frozen' >&2\nexit 1\n");
        File.SetUnixFileMode(hook, (UnixFileMode)0b111_101_101);
        var failed = _fleet.Run("UpdateEngine", "--project", "api", "--ref", "v0.2.0");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("api: failed:", failed.Out);
        Assert.Equal(_fleet.Engine.CommitOf("v0.1.0"), Git("api/engine", "rev-parse", "HEAD"));
        Assert.Equal("", Git("api", "status", "--porcelain"));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void Live_status_of_projects_whose_harness_cannot_answer_reports_each_one()
    {
        // Both vendor the same engine version, so they are asked together first; the harness refuses both configs.
        File.WriteAllText(_fleet["api/agents.toml"], "session_prefix = \"a.pi-\"\n");
        File.WriteAllText(_fleet["worker/agents.toml"], "session_prefix = \"wor.ker-\"\n");
        var live = _fleet.Run("FleetStatus", "--live");
        Assert.True(live.ExitCode == 0, live.ToString());
        Assert.Matches("api .*status failed: status exited 1: agents.toml:1:18: session_prefix 'a.pi-' may hold only", live.Out);
        Assert.Matches("worker .*status failed: status exited 1: agents.toml:1:18: session_prefix 'wor.ker-' may hold only", live.Out);
    }

    [Fact]
    public void A_tag_bumps_a_group_in_parallel_with_a_line_each_and_dry_run_changes_nothing()
    {
        var planned = _fleet.Run("UpdateEngine", "--tag", "backend", "--ref", "v0.2.0", "--dry-run");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Contains("api: would bump engine from v0.1.0", planned.Out);
        Assert.Contains("+ref = \"v0.2.0\"   # pinned for the release", planned.Out);
        Assert.Equal(Fleet, _fleet.Fleet);

        var bumped = _fleet.Run("UpdateEngine", "--tag", "backend", "--ref", "v0.2.0");
        Assert.True(bumped.ExitCode == 0, bumped.ToString());
        Assert.Contains("api: Bump engine from", bumped.Out);
        Assert.Contains("worker: Bump engine from", bumped.Out);
        Assert.Equal(_fleet.Engine.CommitOf("v0.2.0"), Pin("worker"));
        Assert.Equal(0, _fleet.Run("ValidateFleet").ExitCode);
    }
}
