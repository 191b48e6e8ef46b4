using Orchestrator.Fleet;
using Orchestrator.Processes;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

public sealed class FleetExecTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private FleetProject Project(string name)
    {
        Directory.CreateDirectory(_folder[name]);
        Shell.Git(_folder[name], "init", "-q", "-b", "main");
        return new FleetProject(name, name, AbsolutePath.Create(_folder[name]), null, "agents", "../engine.git", "v0.1.0", true, [], [], 1, 1);
    }

    [Fact]
    public async Task A_slow_project_gets_progress_lines_while_the_output_waits_for_it()
    {
        // api runs until the test has seen a progress line, then says so: no clock decides the outcome.
        var projects = new[] { Project("api"), Project("web") };
        var shown = new List<string>();
        var progress = new List<string>();
        var outcomes = await FleetExec.RunAsync(projects, ["bash", "-c", "until [ -e ../go ]; do sleep 0.05; done; echo ${PWD##*/}"], parallel: 2,
            outcome => shown.Add(outcome.Name),
            line =>
            {
                lock (progress)
                    progress.Add(line);
                File.WriteAllText(_folder["go"], "");
            },
            TimeSpan.FromMilliseconds(100), CancellationToken.None);
        Assert.Equal(["api", "web"], shown);
        Assert.Equal(["api\n", "web\n"], outcomes.Select(o => o.Stdout));
        lock (progress)
            Assert.Equal("0 of 2 done; waiting for api", progress[0]);
    }
}
