using System.Text.RegularExpressions;
using TestSupport;

namespace Engine.Tests.EndToEnd;

public sealed class CommandLineTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "idle"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        watch = "heal"
        """);

    [Fact]
    public void Two_first_uses_at_once_build_the_engine_once_and_both_run_it()
    {
        var outcomes = EngineBuild.EnsureBuilt();

        var version = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "engine", "VERSION")).Trim();
        Assert.All(outcomes, o => Assert.Equal(version, o.Out.Trim()));
        Assert.Single(outcomes, o => o.Err.Contains("building the engine"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(EngineBuild.CacheHome, "agents-engine"), "*.tmp.*"));
    }

    [Fact]
    public void A_copy_of_the_engine_elsewhere_uses_the_same_build_and_writes_nothing_into_itself()
    {
        EngineBuild.EnsureBuilt();
        var vendored = Path.Combine(_project.Dir, "engine");
        CopyEngine(Path.GetDirectoryName(EngineBuild.Launcher)!, vendored);
        var before = Directory.GetFileSystemEntries(vendored, "*", SearchOption.AllDirectories).Length;

        var outcome = Shell.Run(_project.Dir, Path.Combine(vendored, "agents"), ["--version"], EngineBuild.Environment);

        Assert.Equal(0, outcome.ExitCode);
        Assert.DoesNotContain("building", outcome.Err);
        Assert.Equal(before, Directory.GetFileSystemEntries(vendored, "*", SearchOption.AllDirectories).Length);
    }

    private static void CopyEngine(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split('/').Any(part => part is "bin" or "obj"))
                continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Without_dotnet_a_built_engine_runs_and_an_unbuilt_one_says_how_to_get_it()
    {
        EngineBuild.EnsureBuilt();
        using var withoutDotnet = new RestrictedPath("dotnet");
        using var emptyCache = new TemporaryFolder();
        var environment = new Dictionary<string, string>(withoutDotnet.Environment) { ["XDG_CACHE_HOME"] = EngineBuild.CacheHome, ["DOTNET_ROOT"] = "" };

        var native = Shell.Run(_project.Dir, EngineBuild.Launcher, ["--version"], environment);
        environment["XDG_CACHE_HOME"] = emptyCache.Path;
        var unbuilt = Shell.Run(_project.Dir, EngineBuild.Launcher, ["status"], environment);

        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.Equal("", native.Err);
        Assert.Equal(1, unbuilt.ExitCode);
        var line = Assert.Single(unbuilt.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("install the .NET 10 SDK", line);
    }

    [Fact]
    public void Without_a_c_compiler_the_engine_is_built_for_the_runtime_and_an_edit_builds_it_again()
    {
        var vendored = Path.Combine(_project.Dir, "engine");
        CopyEngine(Path.GetDirectoryName(EngineBuild.Launcher)!, vendored);
        using var noCompiler = new RestrictedPath("gcc", "clang", "cc");
        var environment = new Dictionary<string, string>(noCompiler.Environment) { ["XDG_CACHE_HOME"] = EngineBuild.CacheHome };
        Outcome Version() => Shell.Run(_project.Dir, Path.Combine(vendored, "agents"), ["--version"], environment, TimeSpan.FromMinutes(5));

        File.WriteAllText(Path.Combine(vendored, "VERSION"), "9.9.1\n");
        var first = Version();
        var again = Version();
        File.WriteAllText(Path.Combine(vendored, "VERSION"), "9.9.2\n");
        var edited = Version();

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("9.9.1", first.Out.Trim());
        Assert.Contains("no C compiler (clang or gcc) on PATH", first.Err);
        Assert.Contains("agents: building the engine 9.9.1 for this machine (jit", first.Err);
        Assert.True(again.ExitCode == 0 && again.Err == "", again.ToString());
        Assert.True(edited.ExitCode == 0, edited.ToString());
        Assert.Equal("9.9.2", edited.Out.Trim());
        Assert.Contains("agents: building the engine 9.9.2", edited.Err);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("status", "--bogus")]
    [InlineData("logs")]
    [InlineData("up", "nobody")]
    [InlineData("--config")]
    public void Bad_usage_exits_2_with_one_line(params string[] args)
    {
        var outcome = _project.Run(args);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Single(outcome.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_config_error_names_the_file_line_and_column_and_exits_1()
    {
        _project.Write("agents.toml", $"session_prefix = \"{_project.Prefix}\"\n\n[[agent]]\nname = \"x\"\nkind = \"forever\"\n");

        var outcome = _project.Run("status");

        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith("agents.toml:5:8: ", outcome.Err);
        Assert.Contains("'persistent' or 'oneshot'", outcome.Err);
        Assert.DoesNotContain("   at ", outcome.Err);
    }

    [Fact]
    public void A_missing_config_says_how_to_make_one()
    {
        var outcome = _project.Run("status", "--config", "elsewhere.toml");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("agents init", outcome.Err);
    }

    [Fact]
    public void Init_scaffolds_a_project_that_validates_and_never_overwrites()
    {
        var target = Path.Combine(_project.Dir, "new project");

        var first = _project.Succeeds("init", target);
        File.WriteAllText(Path.Combine(target, "prompts", "main.md"), "my own prompt\n");
        var second = _project.Succeeds("init", target);

        Assert.Contains("created", first.Out);
        Assert.DoesNotContain("created", second.Out);
        Assert.Equal("my own prompt\n", File.ReadAllText(Path.Combine(target, "prompts", "main.md")));
        var status = Shell.Run(target, EngineBuild.Launcher, ["status", "--json"], EngineBuild.Environment);
        Assert.Equal(0, status.ExitCode);
        var agent = Assert.Single(System.Text.Json.JsonDocument.Parse(status.Out).RootElement.GetProperty("agents").EnumerateArray());
        Assert.Equal("main", agent.GetProperty("name").GetString());
        Assert.Equal("claude", agent.GetProperty("backend").GetString());
    }

    [Fact]
    public void The_scaffolds_attach_hint_stays_true_when_the_prefix_is_stamped_again()
    {
        File.Delete(Path.Combine(_project.Dir, "agents.toml"));
        _project.Succeeds("init", ".");
        // What a tool creating projects may do after init: stamp a session prefix of its own.
        var scaffold = File.ReadAllText(Path.Combine(_project.Dir, "agents.toml"));
        var stamped = Regex.Replace(scaffold, "(?m)^session_prefix = .*$", $"session_prefix = \"{_project.Prefix}\"");
        _project.Write("agents.toml", stamped.Replace("backend = \"claude\"", "backend = \"command\"\ncommand = [\"sleep\", \"1000\"]"));

        var hint = Regex.Match(scaffold, @"'engine/agents (attach \w+)'");
        Assert.True(hint.Success, $"the scaffold has no attach hint:\n{scaffold}");
        Assert.DoesNotContain("tmux attach -t", scaffold);
        _project.Succeeds("up");
        var attach = _project.Succeeds(hint.Groups[1].Value.Split(' '));

        Assert.Equal($"tmux -L {_project.Tmux.Socket} attach-session -t '={_project.Session("main")}'", attach.Out.Trim());
        Assert.True(_project.SessionExists("main"));
    }

    [Fact]
    public void Logs_of_an_agent_that_never_ran_fails_with_a_hint()
    {
        var outcome = _project.Run("logs", "idle");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("agents up idle", outcome.Err);
    }

    [Fact]
    public void Status_json_has_the_documented_shape()
    {
        var status = _project.Status();

        Assert.Equal("stopped", status.GetProperty("watchdog").GetProperty("state").GetString());
        Assert.Equal(_project.Tmux.Socket, status.GetProperty("tmux_socket").GetString());
        var agent = Assert.Single(status.GetProperty("agents").EnumerateArray());
        foreach (var field in new[] { "name", "state", "since", "pid", "restarts", "last_output", "idle_seconds", "session", "kind", "backend", "last_exit_code", "next_wake", "tmux_socket", "processes" })
            Assert.True(agent.TryGetProperty(field, out _), $"status --json lacks '{field}'");
    }

    public void Dispose() => _project.Dispose();
}
