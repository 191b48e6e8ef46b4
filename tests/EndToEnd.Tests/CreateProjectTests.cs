using TestSupport;

namespace EndToEnd.Tests;

[Collection(FreshCloneCollection.Name)]
public sealed class CreateProjectTests(FreshClone clone) : IDisposable
{
    private const string Fleet = """
        # The test fleet.
        [defaults]
        engine_url = "./engine.git"   # the local engine

        """;

    private readonly FleetWorkspace _fleet = new(clone, Fleet);

    public void Dispose() => _fleet.Dispose();

    private string ProjectGit(string project, params string[] arguments) => Shell.Git(_fleet[project], arguments);

    [Fact]
    public void Creates_a_registered_project_in_one_commit_that_validates()
    {
        var created = _fleet.Run("CreateProject", "--name", "alpha", "--ref", "v0.1.0", "--register");
        Assert.True(created.ExitCode == 0, created.ToString());

        var project = "projects/alpha";
        Assert.Equal("main", ProjectGit(project, "branch", "--show-current"));
        Assert.Equal($"Create alpha with engine v0.1.0 ({_fleet.Engine.CommitOf("v0.1.0")[..7]})", ProjectGit(project, "log", "--format=%s"));
        Assert.Equal($"160000 commit {_fleet.Engine.CommitOf("v0.1.0")}\tengine", ProjectGit(project, "ls-tree", "HEAD", "engine"));
        Assert.Equal([".gitignore", ".gitmodules", "agents.toml", "engine", "prompts/main.md"], ProjectGit(project, "ls-files").Split('\n'));
        Assert.Contains("session_prefix = \"alpha-\"", File.ReadAllText(_fleet[$"{project}/agents.toml"]));
        Assert.Equal(".ao-state/\n", File.ReadAllText(_fleet[$"{project}/.gitignore"]));
        Assert.Equal("", ProjectGit(project, "status", "--porcelain"));
        Assert.Equal(Fleet + """

            [[project]]
            name = "alpha"
            location = "projects/alpha"
            engine_url = "./engine.git"
            ref = "v0.1.0"

            """, _fleet.Fleet);
        var validated = _fleet.Run("ValidateFleet");
        Assert.True(validated.ExitCode == 0, validated.ToString());
    }

    [Fact]
    public void Without_register_the_registry_is_untouched_and_the_latest_version_is_the_default_ref()
    {
        var created = _fleet.Run("CreateProject", "--name", "beta", "--dir", _fleet["elsewhere"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(Fleet, _fleet.Fleet);
        Assert.Equal($"160000 commit {_fleet.Engine.CommitOf("v0.2.0")}\tengine", ProjectGit("elsewhere/beta", "ls-tree", "HEAD", "engine"));
    }

    [Fact]
    public void A_custom_prefix_is_stamped_into_the_harness_config()
    {
        var created = _fleet.Run("CreateProject", "--name", "gamma", "--prefix", "g-");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("session_prefix = \"g-\"  # tmux sessions", File.ReadAllText(_fleet["projects/gamma/agents.toml"]));
    }

    [Fact]
    public void A_dotted_name_gets_a_session_prefix_tmux_accepts_and_a_bad_prefix_is_refused_up_front()
    {
        var created = _fleet.Run("CreateProject", "--name", "my.app", "--register");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("session_prefix = \"my-app-\"", File.ReadAllText(_fleet["projects/my.app/agents.toml"]));
        var validated = _fleet.Run("ValidateFleet");
        Assert.True(validated.ExitCode == 0, validated.ToString());

        var refused = _fleet.Run("CreateProject", "--name", "other", "--prefix", "my.other-");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("error: CreateProject: --prefix: 'my.other-' may hold only letters, digits, '_' and '-' (tmux session names); e.g. \"api-\"", refused.Err);
        Assert.False(Directory.Exists(_fleet["projects/other"]));
    }

    [Fact]
    public void ValidateFleet_reports_a_config_the_projects_harness_refuses()
    {
        Assert.Equal(0, _fleet.Run("CreateProject", "--name", "alpha", "--register").ExitCode);
        var config = _fleet["projects/alpha/agents.toml"];
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"alpha-\"", "\"al.pha-\""));

        var validated = _fleet.Run("ValidateFleet");

        Assert.Equal(1, validated.ExitCode);
        Assert.Contains("alpha: its harness does not accept agents.toml: status exited 1: agents.toml:1:18: session_prefix 'al.pha-' may hold only letters", validated.Out);
    }

    [Fact]
    public void Dry_run_prints_the_git_commands_and_the_registry_diff_and_changes_nothing()
    {
        var planned = _fleet.Run("CreateProject", "--name", "alpha", "--register", "--dry-run");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Contains("submodule add -q -- " + _fleet.Engine.Url + " engine", planned.Out);
        Assert.Contains("commit -q -m Create alpha with engine v0.2.0", planned.Out);
        Assert.Contains("+name = \"alpha\"", planned.Out);
        Assert.False(Directory.Exists(_fleet["projects"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Theory]
    [InlineData("--name=../x")]
    [InlineData("--name=-rf")]
    [InlineData("--name=a b")]
    [InlineData("--name=Upper")]
    public void Bad_names_are_refused_before_any_change(string name)
    {
        var refused = _fleet.Run("CreateProject", name, "--register");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not a valid project name", refused.Err);
        Assert.False(Directory.Exists(_fleet["projects"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_name_too_long_for_a_folder_is_refused_up_front_even_in_a_dry_run()
    {
        var name = new string('a', 300);
        var refused = _fleet.Run("CreateProject", "--name", name, "--register", "--dry-run");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("error: CreateProject: --name: 'aaaaaaaaaaaaaaaa...' is 300 characters long; a project name has at most 64", refused.Err);
        Assert.Equal(0, _fleet.Run("CreateProject", "--name", new string('a', 64), "--dry-run").ExitCode);
    }

    [Fact]
    public void Options_typed_before_the_target_work()
    {
        var created = clone.Run(_fleet.Path, ["--no-logo", "CreateProject", "--name", "alpha", "--dry-run", "--fleet", _fleet.FleetFile]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("would create", created.Out);
    }

    [Fact]
    public void An_option_looking_name_is_refused_by_the_command_line()
    {
        var refused = _fleet.Run("CreateProject", "--name", "-rf");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Unknown option -rf", refused.Err);
    }

    [Fact]
    public void An_unreachable_engine_or_unknown_ref_is_refused_before_anything_is_made()
    {
        var unreachable = _fleet.Run("CreateProject", "--name", "alpha", "--engine-url", _fleet["missing.git"], "--register");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("cannot be read", unreachable.Err);

        var unknown = _fleet.Run("CreateProject", "--name", "alpha", "--ref", "v0.3.0", "--register");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("ref 'v0.3.0' does not exist", unknown.Err);
        Assert.Contains("nearest tags: v0.2.0, v0.1.0", unknown.Err);

        Assert.False(Directory.Exists(_fleet["projects"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_failing_init_undoes_everything_and_names_the_step()
    {
        var failed = _fleet.Run("CreateProject", "--name", "alpha", "--ref", "broken-init", "--register");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("step 'scaffold with the harness's init' failed", failed.Err);
        Assert.Contains("disk full", failed.Err);
        Assert.False(Directory.Exists(_fleet["projects/alpha"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void A_commit_refused_by_a_hook_undoes_everything()
    {
        var hooks = Directory.CreateDirectory(_fleet["hooks"]).FullName;
        File.WriteAllText(Path.Combine(hooks, "pre-commit"), "#!/bin/sh\necho 'commits are frozen' >&2\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(hooks, "pre-commit"), (UnixFileMode)0b111_101_101);
        var failed = _fleet.Run(["CreateProject", "--name", "alpha", "--register"], new Dictionary<string, string>
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "core.hooksPath",
            ["GIT_CONFIG_VALUE_0"] = hooks,
        });
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("step 'commit' failed", failed.Err);
        Assert.False(Directory.Exists(_fleet["projects/alpha"]));
        Assert.Equal(Fleet, _fleet.Fleet);
    }

    [Fact]
    public void An_existing_folder_a_registered_name_and_a_clashing_prefix_are_refused()
    {
        Assert.Equal(0, _fleet.Run("CreateProject", "--name", "alpha", "--register").ExitCode);
        var registry = _fleet.Fleet;

        var again = _fleet.Run("CreateProject", "--name", "alpha", "--dir", _fleet["other"], "--register");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already has a project 'alpha'", again.Err);

        var existing = _fleet.Run("CreateProject", "--name", "alpha");
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains("already exists and is not empty", existing.Err);

        var clash = _fleet.Run("CreateProject", "--name", "alpha2", "--prefix", "alpha-v2-");
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains("project 'alpha' uses the session prefix 'alpha-'", clash.Err);

        Assert.False(Directory.Exists(_fleet["projects/alpha2"]));
        Assert.Equal(registry, _fleet.Fleet);
    }
}
