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

    /// <summary>
    /// A harness that answers status --json with a fixed report, one that needs escaping, with work cycles; and the work
    /// verbs (cycle, tasks, costs) with fixed reports as the engine prints them.
    /// </summary>
    private const string ReportingHarness = """
        #!/usr/bin/env bash
        case "$1" in
          status) cat <<'JSON'
        {"agents":[{"name":"main","state":"running","since":"2024-01-02T03:04:05Z","pid":42},{"name":"bot","state":"crashloop","since":null,"pid":null}],"watchdog":{"state":"running","pid":43},"note":"ünï <&> 'q' \"x\"","work":{"paused":false,"pause_reason":null,"failures_in_a_row":2,"liveness":"stale","heartbeat":"2024-01-02T03:04:05+00:00","stale_after_seconds":600,"stopped_after_seconds":3600,"cycle":{"id":4,"started":"2024-01-02T03:00:00+00:00","heartbeat":"2024-01-02T03:04:05+00:00","liveness":"stale","pid":44},"last_cycle":{"id":3,"state":"failed","started":"2024-01-02T02:00:00+00:00","ended":"2024-01-02T02:10:00+00:00","message":"t5 failed"},"tasks":{"queued":2,"running":1,"passed":0,"failed":5,"merged":7,"blocked":1,"conflict":0,"cancelled":0},"cost_usd_today":1.25,"cost_usd_total":9.8,"tokens_today":182000,"next_cycle":null}}
        JSON
            ;;
          cycle) echo "10:00:00 cycle 5: started" >&2; cat <<'JSON'
        {"outcome":"failed","id":5,"message":"t9 failed","started":"2024-01-02T04:00:00+00:00","ended":"2024-01-02T04:04:12+00:00","planned":["t8","t9"],"dispatched":["t8","t9"],"merged":["t8"],"failed":["t9"],"blocked":[],"waiting":[],"cost_usd":0.42,"tokens":{"input":52000,"output":9100,"cache_read":410000,"cache_creation":33000,"total":504100},"problems":[]}
        JSON
            exit 1 ;;
          tasks) cat <<'JSON'
        [{"id":"t8","title":"Fix <the> 'login' & \"más\"","description":null,"type":"fix","state":"merged","depends_on":[],"branch":"work/t8","cost_usd":0.1,"tokens":{"input":100,"output":20,"cache_read":0,"cache_creation":0,"total":120},"attempts":1,"cycle":5,"created":"2024-01-02T03:59:00+00:00","updated":"2024-01-02T04:02:00+00:00","message":null,"liveness":null,"heartbeat":null,"merged_commit":"91f999f08e32c1d598d522c2dd07f52c64ca8cda","duration_seconds":7.9},
         {"id":"t9","title":"Then b","description":"needs t8","type":null,"state":"failed","depends_on":["t8"],"branch":"work/t9","cost_usd":null,"tokens":{"input":0,"output":0,"cache_read":0,"cache_creation":0,"total":0},"attempts":2,"cycle":5,"created":"2024-01-02T03:59:00+00:00","updated":"2024-01-02T04:04:00+00:00","message":"the gate failed","liveness":null,"heartbeat":null,"merged_commit":null,"duration_seconds":12.5}]
        JSON
            ;;
          costs) cat <<'JSON'
        {"since":null,"days":[{"day":"2024-01-01","role":"worker","model":"sonnet","runs":2,"runs_without_cost":0,"cost_usd":0.3,"tokens":{"input":2000,"output":400,"cache_read":0,"cache_creation":0,"total":2400}},{"day":"2024-01-02","role":"planner","model":null,"runs":1,"runs_without_cost":1,"cost_usd":null,"tokens":{"input":10,"output":5,"cache_read":0,"cache_creation":0,"total":15}},{"day":"2024-01-02","role":"worker","model":"sonnet","runs":1,"runs_without_cost":0,"cost_usd":0.12,"tokens":{"input":1000,"output":100,"cache_read":0,"cache_creation":0,"total":1100}}],"cost_usd":0.42,"tokens":{"input":3010,"output":505,"cache_read":0,"cache_creation":0,"total":3515}}
        JSON
            ;;
          *) echo "agents: unknown command '$1'" >&2; exit 2 ;;
        esac
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
    [InlineData("run-cycle.json", 1, "RunCycle", "--project", "*", "--json")]
    [InlineData("tasks.json", 0, "Tasks", "--project", "web", "--json")]
    [InlineData("fleet-costs.json", 0, "FleetCosts", "--json")]
    [InlineData("exec.json", 1, "Exec", "--project", "api", "docs", "gone", "--json", "--", "bash", "-c", "echo 'ünï <&> \"q\"'; echo err >&2; exit 3")]
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
        // How long a cycle took is the clock's too.
        normalized = Regex.Replace(normalized, "\"seconds\": [0-9.]+", "\"seconds\": $SECONDS");
        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, golden)), normalized);
    }
}
