using System.Text.RegularExpressions;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// Every JSON document the runbook writes, byte for byte, from the program ./build.sh runs (the native binary once it
/// is built). The expected files under Golden/ were written by the reflection-based serializer the runbook used before
/// its JSON went through source-generated contexts; paths of this run read as $FLEET and $CLONE there, commit ids as $COMMIT.
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class JsonOutputTests : IDisposable
{
    private const string Fleet = """
        [defaults]
        engine_url = "./engine.git"
        ref = "v0.1.0"

        [[project]]
        name = "api"
        location = "api"
        remote = "git@example.invalid:team/api.git"
        tags = ["backend", "c++&<web>", "ünï"]
        isolation_allow = ["docs/*.md"]

        [[project]]
        name = "docs"
        location = "docs"
        remote = "git@example.invalid:team/docs.git"
        enabled = false

        [[project]]
        name = "gone"
        location = "gone"

        [[project]]
        name = "leaky"
        location = "leaky"
        ref = "v9.9.9"

        [[project]]
        name = "web"
        location = "web"
        harness = "agents"
        """;

    /// <summary>A harness that answers status --json with a fixed report, one that needs escaping.</summary>
    private const string ReportingHarness = """
        #!/usr/bin/env bash
        cat <<'JSON'
        {"agents":[{"name":"main","state":"running","since":"2024-01-02T03:04:05Z","pid":42},{"name":"bot","state":"crashloop","since":null,"pid":null}],"watchdog":{"state":"running","pid":43},"note":"ünï <&> 'q' \"x\""}
        JSON
        """;

    private static readonly string GoldenFolder = Path.Combine(RepositoryRoot.Path, "tests", "EndToEnd.Tests", "Golden");

    private readonly FreshClone _clone;
    private readonly FleetWorkspace _fleet;

    public JsonOutputTests(FreshClone clone)
    {
        _clone = clone;
        _fleet = new FleetWorkspace(clone, Fleet);
        ProjectRepository.Create(_fleet["api"], _fleet.Engine, "v0.1.0");
        _fleet.Write("api/docs/fleet.md", "notes\n");
        _fleet.Write("api/src/run.sh", "cd ../project-orchestrator # l'équipe <&> \"ok\"\n");
        Commit("api");
        ProjectRepository.Create(_fleet["leaky"], _fleet.Engine, "v0.1.0");
        _fleet.Write("web/engine/VERSION", "7.0.0\n");
        _fleet.Write("web/engine/agents", ReportingHarness.Replace("\r", "") + "\n");
        File.SetUnixFileMode(_fleet["web/engine/agents"], (UnixFileMode)0b111_101_101);
        _fleet.Write("web/agents.toml", "session_prefix = \"web-\"\n");
        Commit("web", init: true);
    }

    public void Dispose() => _fleet.Dispose();

    private void Commit(string project, bool init = false)
    {
        if (init)
            Shell.Git(_fleet[project], "init", "-q", "-b", "main");
        Shell.Git(_fleet[project], "add", "-A");
        Shell.Git(_fleet[project], "commit", "-q", "-m", "more");
    }

    [Theory]
    [InlineData("list.json", 0, "ListFleet", "--json")]
    [InlineData("get-project.json", 0, "GetProject", "--project", "api", "--json")]
    [InlineData("status.json", 0, "FleetStatus", "--json")]
    [InlineData("status-live.json", 0, "FleetStatus", "--live", "--json")]
    [InlineData("validate.json", 1, "ValidateFleet", "--json")]
    [InlineData("isolation.json", 2, "IsolationCheck", "--json")]
    public void Json_output_is_byte_identical(string golden, int exitCode, params string[] arguments)
    {
        var outcome = _fleet.Run(arguments);
        Assert.True(outcome.ExitCode == exitCode, outcome.ToString());
        AssertGolden(golden, outcome.Out);
    }

    [Fact]
    public void Sarif_is_byte_identical()
    {
        var outcome = _fleet.Run("IsolationCheck", "--sarif", _fleet["isolation.sarif"]);
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        AssertGolden("isolation.sarif", File.ReadAllText(_fleet["isolation.sarif"]));
    }

    private void AssertGolden(string golden, string actual)
    {
        // Commit ids change with every run's clock; the documents' shape and every other byte do not.
        var normalized = Regex.Replace(actual.Replace(_fleet.Path, "$FLEET").Replace(_clone.Root, "$CLONE"), "\\b[0-9a-f]{40}\\b", "$COMMIT");
        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, golden)), normalized);
    }
}
