using System.Text.Json;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>IsolationCheck through ./build.sh: exit codes, human and JSON output, and the SARIF file.</summary>
[Collection(FreshCloneCollection.Name)]
public sealed class IsolationCheckTests : IDisposable
{
    private readonly FreshClone _clone;
    private readonly TemporaryFolder _folder = new();
    private readonly string _fleet;

    public IsolationCheckTests(FreshClone clone)
    {
        _clone = clone;
        _fleet = Fleet();
    }

    public void Dispose() => _folder.Dispose();

    private string Fleet()
    {
        Repository("clean", ("README.md", "A project that runs itself.\n"));
        Repository("leaky", ("README.md", "# Leaky\n"), ("scripts/up.sh", $"#!/bin/sh\ncd {_clone.Root} && ./build.sh StartProject\n"), ("fleet/notes.md", "notes\n"));
        return _folder.Write("fleet.toml", """
            [defaults]
            engine_url = "https://example.invalid/engine.git"
            ref = "v0.1.0"

            [[project]]
            name = "clean"
            location = "clean"

            [[project]]
            name = "leaky"
            location = "leaky"
            isolation_allow = ["fleet"]

            [[project]]
            name = "gone"
            location = "gone"
            remote = "git@example.invalid:team/gone.git"
            """);
    }

    private void Repository(string name, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
            _folder.Write(Path.Combine(name, path), content);
        Shell.Git(_folder[name], "init", "-q", "-b", "main");
        Shell.Git(_folder[name], "add", "-A");
        Shell.Git(_folder[name], "commit", "-q", "-m", "initial");
    }

    private Outcome Check(params string[] arguments) => _clone.Run(_folder.Path, ["IsolationCheck", "--fleet", _fleet, "--no-logo", .. arguments]);

    [Fact]
    public void A_clean_project_exits_0()
    {
        var outcome = Check("--project", "clean");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"clean\s+1\s+0\s+0\s+clean", outcome.Out);
    }

    [Fact]
    public void Violations_exit_1_with_a_line_each_in_text_json_and_sarif()
    {
        var text = Check("--project", "leaky", "--sarif", "isolation.sarif");
        var json = Check("--project", "leaky", "--json");

        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Contains($"leaky: scripts/up.sh:2: cd {_clone.Root} && ./build.sh StartProject", text.Out);
        Assert.Contains("leaky: fleet: name matches 'fleet' (allowed by isolation_allow \"fleet\")", text.Out);
        Assert.Contains("IsolationCheck: 1 isolation violation in leaky", text.Err);

        Assert.True(json.ExitCode == 1, json.ToString());
        var project = JsonDocument.Parse(json.Out).RootElement.GetProperty("projects").EnumerateArray().Single();
        Assert.Equal(["fleet", "scripts/up.sh"], project.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("path").GetString()));

        var sarif = JsonDocument.Parse(File.ReadAllText(_folder["isolation.sarif"])).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        var result = sarif.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "orchestrator-path");
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("scripts/up.sh", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(2, location.GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void A_project_that_is_not_cloned_exits_2_and_says_so()
    {
        var outcome = Check();

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("gone: could not run: not cloned: gone does not exist; clone git@example.invalid:team/gone.git there", outcome.Out);
        Assert.Contains("could not scan 1 of 3 projects: gone: not cloned", outcome.Err);
        Assert.Contains("leaky: scripts/up.sh:2:", outcome.Out);
    }
}
