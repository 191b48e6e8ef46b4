using System.Diagnostics;
using Engine.Agents.Processes;

namespace Engine.Tests.EndToEnd;

/// <summary>Finding a process tree by a marker in its environment, and ending all of it, with real processes.</summary>
public sealed class ProcessTableTests : IDisposable
{
    private const string Marker = "ENGINE_TESTS_MARK";

    /// <summary>Each test's own marker value: nothing another test (or helper) runs can carry it.</summary>
    private readonly string _mark = Guid.NewGuid().ToString("N");

    private readonly List<Process> _started = [];

    /// <summary>
    /// The escapes a plain kill of the agent misses: a new session (setsid), a child that ignores
    /// hangups (nohup), and a subshell that ignores HUP and TERM and keeps forking.
    /// </summary>
    private const string Escapes = """
        setsid sleep 1000 &
        nohup sleep 1000 >/dev/null 2>&1 &
        (trap '' HUP TERM; while :; do sleep 1; done) &
        echo ready
        wait
        """;

    private Process StartTree(string script, string mark)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment[Marker] = mark;
        var process = Process.Start(start)!;
        _started.Add(process);
        Assert.Equal("ready", process.StandardOutput.ReadLine());
        return process;
    }

    [Fact]
    public void FindByEnvironment_finds_every_process_of_the_tree_however_it_detached_and_nothing_else()
    {
        var tree = StartTree(Escapes, _mark);
        var other = StartTree("sleep 1000 & echo ready; wait", _mark + "-other");

        // bash, the two sleeps, the subshell and (most of the time) its current sleep 1.
        IReadOnlyList<int> found = [];
        EngineProject.WaitUntil(() => (found = ProcessTable.FindByEnvironment(Marker, _mark)).Count >= 4,
            TimeSpan.FromSeconds(10), "the tree's processes");

        Assert.Contains(tree.Id, found);
        Assert.DoesNotContain(other.Id, found);
        Assert.DoesNotContain(Environment.ProcessId, found);
        Assert.Contains(found, pid => Processes.CommandLine(pid).StartsWith("sleep 1000"));
        Assert.All(found, pid => Assert.Equal(_mark, ProcessTable.EnvironmentVariable(pid, Marker)));
    }

    [Fact]
    public void StopByEnvironment_ends_setsid_nohup_and_a_subshell_that_ignores_hup_and_term()
    {
        StartTree(Escapes, _mark);
        var bystander = StartTree("sleep 1000 & echo ready; wait", _mark + "-other");
        EngineProject.WaitUntil(() => ProcessTable.FindByEnvironment(Marker, _mark).Count >= 4, TimeSpan.FromSeconds(10), "the tree");

        var (ended, survivors) = ProcessTable.StopByEnvironment(Marker, _mark, TimeSpan.FromMilliseconds(500));

        Assert.Empty(survivors);
        Assert.True(ended >= 4, $"ended {ended}");
        Assert.Empty(ProcessTable.FindByEnvironment(Marker, _mark));
        Assert.True(Processes.IsAlive(bystander.Id));
    }

    [Fact]
    public void Stop_asks_first_then_kills_what_ignores_the_request()
    {
        var polite = StartTree("echo ready; exec sleep 1000", _mark);
        var stubborn = StartTree("trap '' TERM; echo ready; while :; do sleep 0.1; done", _mark);
        var clock = Stopwatch.StartNew();

        var survivors = ProcessTable.Stop([polite.Id, stubborn.Id], TimeSpan.FromSeconds(1));

        Assert.Empty(survivors);
        Assert.True(polite.WaitForExit(5000) && stubborn.WaitForExit(5000));
        Assert.Equal(143, polite.ExitCode);   // SIGTERM
        Assert.Equal(137, stubborn.ExitCode); // SIGKILL, after the grace period
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"killed after {clock.Elapsed.TotalSeconds:0.00} s, before the grace period ended");
    }

    [Fact]
    public void Stop_of_processes_already_gone_returns_at_once()
    {
        var gone = StartTree("echo ready", _mark);
        Assert.True(gone.WaitForExit(5000));

        Assert.Empty(ProcessTable.Stop([gone.Id], TimeSpan.FromSeconds(30)));
    }

    public void Dispose()
    {
        foreach (var pid in ProcessTable.FindByEnvironment(Marker, _mark).Concat(ProcessTable.FindByEnvironment(Marker, _mark + "-other")))
            Processes.Kill(pid);
        foreach (var process in _started)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }
}
