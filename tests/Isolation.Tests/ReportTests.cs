using System.Text.Json;
using Orchestrator.Fleet;
using Orchestrator.Isolation;
using Runbook;
using TestSupport;

namespace Isolation.Tests;

/// <summary>IsolationCheck over a registry: selection, projects that cannot be scanned, exit codes and every output format.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly OrchestratorFacts _facts = new([], []);

    public void Dispose() => _folder.Dispose();

    private FleetRegistry Registry()
    {
        Repository("clean", ("README.md", "clean\n"));
        Repository("leaky", ("README.md", "run by the fleet\n"), ("docs/history.md", "fleet history\n"));
        Repository("tagged", ("notes.txt", "project orchestrator\n"));
        Directory.CreateDirectory(_folder["plain"]);
        var fleet = _folder.Write("fleet.toml", """
            [defaults]
            engine_url = "https://example.invalid/engine.git"
            ref = "v0.1.0"

            [[project]]
            name = "clean"
            location = "clean"

            [[project]]
            name = "leaky"
            location = "leaky"
            isolation_allow = ["docs/history.md"]

            [[project]]
            name = "tagged"
            location = "tagged"
            tags = ["web"]
            enabled = false

            [[project]]
            name = "plain"
            location = "plain"
            tags = ["broken"]

            [[project]]
            name = "gone"
            location = "gone"
            remote = "git@example.invalid:team/gone.git"
            tags = ["broken"]
            """);
        return FleetRegistry.Load(AbsolutePath.Create(fleet));
    }

    private void Repository(string name, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
            _folder.Write(Path.Combine(name, path), content);
        Shell.Git(_folder[name], "init", "-q", "-b", "main");
    }

    private IsolationReport Check(FleetRegistry registry, string[]? projects = null, string[]? tags = null) =>
        IsolationReport.Run(registry, IsolationReport.Select(registry, projects, tags), _facts, parallel: 2);

    [Fact]
    public void By_default_every_enabled_project_is_checked_in_registry_order()
    {
        Assert.Equal(["clean", "leaky", "plain", "gone"], IsolationReport.Select(Registry(), null, null).Select(p => p.Name));
    }

    [Fact]
    public void Project_and_tag_narrow_and_a_disabled_project_is_checked_when_named()
    {
        var registry = Registry();
        Assert.Equal(["tagged"], IsolationReport.Select(registry, ["tagged"], null).Select(p => p.Name));
        Assert.Empty(IsolationReport.Select(registry, null, ["web"]));
        Assert.Equal(["leaky"], IsolationReport.Select(registry, ["*k*"], null).Select(p => p.Name));
        Assert.Equal(["plain", "gone"], IsolationReport.Select(registry, null, ["broken"]).Select(p => p.Name));
        var unknown = Assert.Throws<TargetFailedException>(() => IsolationReport.Select(registry, ["clen"], null));
        Assert.Equal((2, $"{registry.DisplayName} has no project 'clen'; did you mean 'clean'?"), (unknown.ExitCode, unknown.Message));
    }

    [Fact]
    public void A_clean_selection_does_not_fail()
    {
        var report = Check(Registry(), ["clean"]);
        Assert.Null(report.Failure());
        Assert.Equal(1, Assert.Single(report.Projects).Scan!.FilesScanned);
    }

    [Fact]
    public void Violations_fail_with_exit_1_and_allowed_ones_do_not_count()
    {
        var report = Check(Registry(), ["leaky", "tagged"]);

        Assert.Equal((2, 1), (report.FailureCount, report.AllowedCount));
        var failure = report.Failure()!;
        Assert.Equal(1, failure.ExitCode);
        Assert.Equal($"2 isolation violations in leaky, tagged; remove them from the project, or allow known false positives with isolation_allow in {report.Fleet}", failure.Message);
    }

    [Fact]
    public void Projects_that_cannot_be_scanned_fail_with_exit_2_saying_why()
    {
        var broken = Check(Registry(), null, ["broken"]);

        Assert.Equal(
            ["not cloned: gone does not exist; clone git@example.invalid:team/gone.git there"],
            broken.Projects.Where(p => p.Name == "gone").Select(p => p.Error!));
        Assert.EndsWith("plain is not a git repository; run git init there", broken.Projects.Single(p => p.Name == "plain").Error);
        var failure = broken.Failure()!;
        Assert.Equal(2, failure.ExitCode);
        Assert.StartsWith("could not scan 2 of 2 projects: plain: ", failure.Message);
    }

    [Fact]
    public void Cannot_run_wins_over_violations_and_the_message_names_both()
    {
        var failure = Check(Registry(), ["leaky", "gone"]).Failure()!;
        Assert.Equal(2, failure.ExitCode);
        Assert.EndsWith("; and found 1 isolation violation in leaky", failure.Message);
    }

    [Fact]
    public void People_get_a_line_per_violation_and_a_summary_per_project()
    {
        var output = new StringWriter();
        IsolationOutput.Write(output, Check(Registry(), ["clean", "leaky", "gone"]), json: false);

        Assert.Equal("""
            leaky: README.md:1: run by the fleet
            leaky: docs/history.md:1: fleet history (allowed by isolation_allow "docs/history.md")
            gone: could not run: not cloned: gone does not exist; clone git@example.invalid:team/gone.git there

            PROJECT  FILES  VIOLATIONS  ALLOWED  RESULT
            clean    1      0           0        clean
            leaky    2      1           1        1 violation
            gone     -      -           -        could not run

            """.ReplaceLineEndings(), output.ToString());
    }

    [Fact]
    public void Json_carries_the_same_results()
    {
        var output = new StringWriter();
        IsolationOutput.Write(output, Check(Registry(), ["leaky", "gone"]), json: true);
        var root = JsonDocument.Parse(output.ToString()).RootElement;

        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal((1, 1, 1), (root.GetProperty("violation_count").GetInt32(), root.GetProperty("allowed_count").GetInt32(), root.GetProperty("not_scanned_count").GetInt32()));
        var leaky = root.GetProperty("projects")[0];
        Assert.Equal(2, leaky.GetProperty("files_scanned").GetInt32());
        var violation = leaky.GetProperty("violations")[0];
        Assert.Equal(("README.md", 1, "run by the fleet", "fleet", "orchestrator-name", false),
            (violation.GetProperty("path").GetString(), violation.GetProperty("line").GetInt32(), violation.GetProperty("text").GetString(),
                violation.GetProperty("match").GetString(), violation.GetProperty("rule").GetString(), violation.GetProperty("allowed").GetBoolean()));
        var gone = root.GetProperty("projects")[1];
        Assert.False(gone.GetProperty("scanned").GetBoolean());
        Assert.StartsWith("not cloned:", gone.GetProperty("error").GetString());
    }

    [Fact]
    public void Sarif_has_one_run_a_base_per_project_and_relative_locations()
    {
        Repository("spaced", ("my notes/fleet log.md", "clean\n"));
        var registry = Registry();
        File.AppendAllText(registry.File, "\n[[project]]\nname = \"spaced\"\nlocation = \"spaced\"\n");
        registry = FleetRegistry.Load(registry.File);
        var run = JsonDocument.Parse(IsolationSarif.Document(Check(registry, ["leaky", "gone", "spaced"]))).RootElement.GetProperty("runs").EnumerateArray().Single();

        Assert.Equal(IsolationSarif.ToolName, run.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
        Assert.Equal(new Uri(_folder["leaky"] + "/").AbsoluteUri, run.GetProperty("originalUriBaseIds").GetProperty("leaky").GetProperty("uri").GetString());
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);

        var location = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("orchestrator-name", results[0].GetProperty("ruleId").GetString());
        Assert.Equal(("README.md", "leaky", 1), (location.GetProperty("artifactLocation").GetProperty("uri").GetString(),
            location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString(), location.GetProperty("region").GetProperty("startLine").GetInt32()));

        Assert.Equal("external", results[1].GetProperty("suppressions")[0].GetProperty("kind").GetString());
        Assert.False(results[0].TryGetProperty("suppressions", out _));

        var name = results[2].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("my%20notes/fleet%20log.md", name.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.False(name.TryGetProperty("region", out _));

        var invocation = run.GetProperty("invocations")[0];
        Assert.False(invocation.GetProperty("executionSuccessful").GetBoolean());
        Assert.StartsWith("gone: could not run: not cloned", invocation.GetProperty("toolExecutionNotifications")[0].GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public void The_facts_are_the_words_the_registry_and_root_paths_and_the_remotes()
    {
        var root = _folder["orchestrator"];
        Directory.CreateDirectory(root);
        Shell.Git(root, "init", "-q", "-b", "main");
        Shell.Git(root, "remote", "add", "origin", "git@github.com:acme/ops.git");
        Shell.Git(root, "remote", "add", "mirror", "https://example.com/acme/ops-mirror.git");

        var facts = OrchestratorFacts.Gather(AbsolutePath.Create(root), AbsolutePath.Create(_folder["registry.toml"]));

        Assert.Equal([
                ("fleet", IsolationRule.OrchestratorName), ("project-orchestrator", IsolationRule.OrchestratorName), ("project orchestrator", IsolationRule.OrchestratorName),
                (_folder["registry.toml"], IsolationRule.OrchestratorPath), (root, IsolationRule.OrchestratorPath), ("registry.toml", IsolationRule.OrchestratorPath),
                ("example.com/acme/ops-mirror", IsolationRule.OrchestratorRemote), ("example.com:acme/ops-mirror", IsolationRule.OrchestratorRemote),
                ("github.com/acme/ops", IsolationRule.OrchestratorRemote), ("github.com:acme/ops", IsolationRule.OrchestratorRemote),
            ],
            facts.Patterns.Select(p => (p.Text, p.Rule)));
    }

    [Fact]
    public void Outside_a_git_repository_there_are_no_remotes_and_fleet_toml_needs_no_name_of_its_own()
    {
        var root = _folder["bare-folder"];
        Directory.CreateDirectory(root);

        var facts = OrchestratorFacts.Gather(AbsolutePath.Create(root), AbsolutePath.Create(_folder["fleet.toml"]));

        Assert.Equal(["fleet", "project-orchestrator", "project orchestrator", _folder["fleet.toml"], root], facts.Patterns.Select(p => p.Text));
    }
}
