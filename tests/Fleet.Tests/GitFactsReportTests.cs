using System.Text.Json;
using Orchestrator.Fleet;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

/// <summary>What FleetStatus and ValidateFleet say of each repository state: honest, one line each, never an exception.</summary>
public sealed class GitFactsReportTests : IDisposable
{
    private static readonly string[] Shown =
    [
        "clean", "dirty", "ahead-and-behind", "upstream-gone", "detached", "engine-moved", "engine-dirty", "engine-untracked",
        "engine-not-checked-out", "gitlink-staged", "no-submodule", "not-cloned", "not-a-repository", "corrupt-index", "corrupt-head",
    ];

    private readonly GitStates _states = new();
    private readonly FleetRegistry _registry;

    public GitFactsReportTests()
    {
        foreach (var state in Shown)
            _states.Make(state);
        var fleet = Path.Combine(_states.Path, "fleet.toml");
        File.WriteAllText(fleet, "[defaults]\nengine_url = \"./engine.git\"\nref = \"v0.1.0\"\n\n"
            + string.Concat(Shown.Select(state => $"[[project]]\nname = \"{state}\"\nlocation = \"{state}\"\n\n")));
        _registry = FleetRegistry.Load(AbsolutePath.Create(fleet));
    }

    public void Dispose() => _states.Dispose();

    private string Short(string reference) => _states.Engine.CommitOf(reference)[..7];

    [Fact]
    public void FleetStatus_says_what_each_state_is()
    {
        var output = new StringWriter();
        FleetOutput.Status(output, FleetStatusReport.Gather(_registry, null, null, parallel: 4, live: false), json: false);
        var state = output.ToString().Split('\n').Where(line => line.Length > 0 && !line.StartsWith("NAME"))
            .Select(line => line.Split("  ", 2, StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2)
            .ToDictionary(fields => fields[0], fields => fields[1][(fields[1].IndexOf(fields[0], StringComparison.Ordinal) + fields[0].Length)..].Trim());

        Assert.Equal("clean, no upstream, engine in sync", state["clean"]);
        Assert.Equal("1 uncommitted, no upstream, engine in sync", state["dirty"]);
        Assert.Equal("clean, 1 ahead, 2 behind origin/main, engine in sync", state["ahead-and-behind"]);
        Assert.Equal("clean, upstream origin/main gone, engine in sync", state["upstream-gone"]);
        Assert.StartsWith("detached at ", state["detached"]);
        Assert.EndsWith(", clean, no upstream, engine in sync", state["detached"]);
        Assert.Equal($"1 uncommitted, no upstream, engine: engine/ is checked out at {Short("v0.2.0")} (v0.2.0) but the project records "
            + $"{Short("v0.1.0")} (v0.1.0); run git submodule update engine to return to the pin, or commit the checkout as the new pin", state["engine-moved"]);
        Assert.Equal("1 uncommitted, no upstream, engine: engine/ has local changes (modified files); commit or discard them (git -C engine status)", state["engine-dirty"]);
        Assert.Equal("1 uncommitted, no upstream, engine: engine/ has local changes (untracked files); commit or discard them (git -C engine status)", state["engine-untracked"]);
        Assert.Contains("engine: engine/ is not checked out; run: git submodule update --init engine", state["engine-not-checked-out"]);
        Assert.Equal($"1 uncommitted, no upstream, engine: engine/ is staged at {Short("v0.2.0")} (v0.2.0) but HEAD records {Short("v0.1.0")} (v0.1.0); "
            + "commit the new pin (git commit -- engine) or unstage it (git restore --staged engine)", state["gitlink-staged"]);
        Assert.Equal("not cloned", state["not-cloned"]);
        Assert.Equal("not-a-repository is not a git repository", state["not-a-repository"]);
        foreach (var corrupt in new[] { "corrupt-index", "corrupt-head" })
            Assert.Matches($"^/.*/{corrupt}: the git repository cannot be read \\(.+\\); repair it or clone it again$", state[corrupt]);
    }

    [Fact]
    public void FleetStatus_json_carries_the_facts()
    {
        var output = new StringWriter();
        FleetOutput.Status(output, FleetStatusReport.Gather(_registry, null, null, parallel: 4, live: false), json: true);
        using var json = JsonDocument.Parse(output.ToString());
        var projects = json.RootElement.GetProperty("projects").EnumerateArray()
            .ToDictionary(p => p.GetProperty("project").GetProperty("name").GetString()!);

        var both = projects["ahead-and-behind"].GetProperty("git");
        Assert.Equal(("main", "origin/main", 1, 2, false), (both.GetProperty("branch").GetString(), both.GetProperty("upstream").GetString(),
            both.GetProperty("ahead").GetInt32(), both.GetProperty("behind").GetInt32(), both.GetProperty("detached").GetBoolean()));
        Assert.True(projects["upstream-gone"].GetProperty("git").GetProperty("upstream_gone").GetBoolean());
        Assert.True(projects["detached"].GetProperty("git").GetProperty("detached").GetBoolean());
        var moved = projects["engine-moved"].GetProperty("engine");
        Assert.False(moved.GetProperty("in_sync").GetBoolean());
        Assert.Equal(_states.Engine.CommitOf("v0.1.0"), moved.GetProperty("submodule").GetProperty("recorded").GetString());
        Assert.Equal(_states.Engine.CommitOf("v0.2.0"), moved.GetProperty("submodule").GetProperty("checked_out").GetString());
        Assert.True(projects["engine-dirty"].GetProperty("engine").GetProperty("submodule").GetProperty("local_changes").GetBoolean());
        Assert.Equal(_states.Engine.CommitOf("v0.2.0"), projects["gitlink-staged"].GetProperty("engine").GetProperty("submodule").GetProperty("staged").GetString());
        Assert.Contains("cannot be read", projects["corrupt-head"].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, projects["corrupt-head"].GetProperty("git").ValueKind);
        Assert.False(projects["not-cloned"].GetProperty("cloned").GetBoolean());
    }

    [Fact]
    public void ValidateFleet_reports_an_engine_that_is_not_at_its_pin_and_a_repository_it_cannot_read()
    {
        var report = FleetValidation.Run(_registry.File, null, null, parallel: 4);
        string[] Problems(string name) => report.Projects.Single(p => p.Name == name).Problems.Select(p => p.Message).ToArray();

        foreach (var ok in new[] { "clean", "dirty", "ahead-and-behind", "upstream-gone", "detached" })
            Assert.Empty(Problems(ok));
        Assert.Equal([$"engine-moved: engine/ is checked out at {Short("v0.2.0")} (v0.2.0) but the project records {Short("v0.1.0")} (v0.1.0); "
            + "run git submodule update engine to return to the pin, or commit the checkout as the new pin"], Problems("engine-moved"));
        Assert.Equal(["engine-dirty: engine/ has local changes (modified files); commit or discard them (git -C engine status)"], Problems("engine-dirty"));
        Assert.Equal(["engine-not-checked-out: engine/ is not checked out; run: git submodule update --init engine"], Problems("engine-not-checked-out"));
        Assert.Equal([$"gitlink-staged: engine/ is staged at {Short("v0.2.0")} (v0.2.0) but HEAD records {Short("v0.1.0")} (v0.1.0); "
            + "commit the new pin (git commit -- engine) or unstage it (git restore --staged engine)"], Problems("gitlink-staged"));
        Assert.Equal(["not-a-repository: not-a-repository is not a git repository; fix 'location' or run git init there"], Problems("not-a-repository"));
        Assert.Equal([$"no-submodule: engine/ is not a submodule; add it with: git submodule add {_states.Engine.Url} engine"], Problems("no-submodule"));
        foreach (var corrupt in new[] { "corrupt-index", "corrupt-head" })
        {
            var problem = Assert.Single(Problems(corrupt));
            Assert.StartsWith($"{corrupt}: could not be checked: ", problem);
            Assert.Contains("cannot be read", problem);
            Assert.DoesNotContain('\n', problem);
        }
        Assert.Equal(10, report.ProblemCount); // the eight above, engine-untracked and not-cloned
    }
}
