using System.Diagnostics;
using TestSupport;

namespace EndToEnd.Tests;

[Collection(FreshCloneCollection.Name)]
public sealed class AbortTests(FreshClone clone) : IDisposable
{
    private readonly FleetWorkspace _fleet = new(clone, """
        [[project]]
        name = "slow"
        location = "slow"
        engine_url = "./engine.git"
        ref = "v0.2.0"
        """);

    public void Dispose()
    {
        EndTheHarness();
        _fleet.Dispose();
    }

    /// <summary>Only the harness process this test started, by the pid it recorded.</summary>
    private void EndTheHarness()
    {
        if (File.Exists(_fleet["slow/.harness-up.pid"]) && int.TryParse(File.ReadAllText(_fleet["slow/.harness-up.pid"]).Trim(), out var pid))
            Shell.Run(_fleet.Path, "kill", ["-KILL", pid.ToString()]);
    }

    [Fact]
    public void Ctrl_c_aborts_the_running_target_and_exits_1()
    {
        ProjectRepository.Create(_fleet["slow"], _fleet.Engine, "v0.2.0");
        var start = new ProcessStartInfo(Path.Combine(clone.Root, "build.sh"))
        {
            WorkingDirectory = _fleet.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "StartProject", "--project", "slow", "--fleet", _fleet.FleetFile, "--no-logo" })
            start.ArgumentList.Add(argument);
        using var build = Process.Start(start)!;
        var errors = build.StandardError.ReadToEndAsync();

        var deadline = Stopwatch.StartNew();
        while (!File.Exists(_fleet["slow/.harness-up.pid"]) && deadline.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(50);
        Assert.True(File.Exists(_fleet["slow/.harness-up.pid"]), "the harness never started");
        Shell.Run(_fleet.Path, "kill", ["-INT", build.Id.ToString()]);

        Assert.True(build.WaitForExit(TimeSpan.FromSeconds(30)), "the runbook did not stop after Ctrl-C");
        Assert.Equal(1, build.ExitCode);
        // The harness shares the runbook's stderr; the signal went to the runbook alone, so end it before reading.
        EndTheHarness();
        Assert.Matches(@"StartProject\s+Aborted", errors.Result);
        Assert.Contains("Build failed", errors.Result);
    }
}
