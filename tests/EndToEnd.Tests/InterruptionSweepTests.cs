using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using TestSupport;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>
/// The fault-injection sweep: CreateProject and UpdateEngine interrupted by SIGINT (to the process group, as Ctrl-C
/// does), SIGTERM (to the runbook) and SIGKILL at every point, just before and just after each git call and harness
/// call, each followed by the same command again. After the signal the project and fleet.toml are as before or fully
/// done (SIGINT, SIGTERM), and no process of the run is left; after the re-run they are fully done. A suite run hits
/// every point with one of the signals in turn; INTERRUPTION_SWEEP=full hits every point with all three.
/// </summary>
[Collection(FreshCloneCollection.Name)]
public sealed class InterruptionSweepTests(FreshClone clone, ITestOutputHelper output)
{
    private const string CreateFleet = """
        # A fleet.
        [defaults]
        engine_url = "./engine.git"   # the local engine

        """;

    // Runs mostly wait (on git, on the held point), so a few workspaces at once keep the sweep short on two cores.
    private const int Workers = 3;

    private static readonly string[] Signals = ["INT", "TERM", "KILL"];
    private static readonly bool Full = Environment.GetEnvironmentVariable("INTERRUPTION_SWEEP") == "full";

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public void CreateProject_is_undone_or_finished_after_a_signal_at_every_point(string signal) =>
        Sweep(["CreateProject", "--name", "alpha", "--register"], signal, () =>
        {
            var fleet = new FleetWorkspace(clone, CreateFleet);
            return new SweepWorkspace(fleet, "projects/alpha", () =>
            {
                if (Directory.Exists(fleet["projects"]))
                    Directory.Delete(fleet["projects"], recursive: true);
                File.WriteAllText(fleet.FleetFile, CreateFleet);
            });
        });

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public void UpdateEngine_is_undone_or_finished_after_a_signal_at_every_point(string signal) =>
        Sweep(["UpdateEngine", "--project", "api", "--ref", "v0.2.0"], signal, () =>
        {
            var fleet = new FleetWorkspace(clone, InterruptedRunTests.Fleet);
            ProjectRepository.Create(fleet["template/api"], fleet.Engine, "v0.1.0");
            return new SweepWorkspace(fleet, "api", () =>
            {
                if (Directory.Exists(fleet["api"]))
                    Directory.Delete(fleet["api"], recursive: true);
                Shell.Run(fleet.Path, "cp", ["-a", fleet["template/api"], fleet["api"]]);
                File.WriteAllText(fleet.FleetFile, InterruptedRunTests.Fleet);
            });
        });

    private void Sweep(string[] command, string signal, Func<SweepWorkspace> workspace)
    {
        var watch = Stopwatch.StartNew();
        var workspaces = Enumerable.Range(0, Workers).Select(_ => workspace()).ToList();
        try
        {
            var calls = workspaces.Select(w => Task.Run(() => w.Calibrate(command))).ToList().Select(t => t.Result).ToList();
            Assert.All(calls, c => Assert.Equal(calls[0], c));
            var every = Enumerable.Range(1, calls[0]).SelectMany(point => new[] { Hold.Before(point), Hold.After(point) }).ToList();
            // Every point once per suite run, the three signals taking turns; all three at each with INTERRUPTION_SWEEP=full.
            var turn = Array.IndexOf(Signals, signal);
            var holds = new ConcurrentQueue<Hold>(Full ? every : every.Where((_, i) => i % Signals.Length == turn));
            var total = holds.Count;
            var failures = new ConcurrentQueue<string>();
            var recovered = 0;
            var runs = workspaces.Select(w => Task.Factory.StartNew(() =>
            {
                while (failures.IsEmpty && holds.TryDequeue(out var hold))
                {
                    try
                    {
                        if (w.Check(clone, command, hold, signal))
                            Interlocked.Increment(ref recovered);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e.Message);
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(runs);
            Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
            output.WriteLine($"{command[0]} SIG{signal}: {total} of {every.Count} interruption points ({calls[0]} calls, before and after each), " +
                $"all recovered ({recovered} from a journal) in {watch.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            foreach (var w in workspaces)
                w.Dispose();
        }
    }

    /// <summary>One workspace of the sweep: a fleet, its interruption points, and the state before and after the command.</summary>
    private sealed class SweepWorkspace(FleetWorkspace fleet, string project, Action reset) : IDisposable
    {
        private readonly InterruptionPoints _points = new();
        private string _before = "", _done = "";

        public void Dispose()
        {
            _points.Release();
            _points.WaitForNoProcesses(TimeSpan.FromSeconds(30));
            _points.Dispose();
            fleet.Dispose();
        }

        /// <summary>Runs the command once uninterrupted: its state when done, before, and how many points it has.</summary>
        public int Calibrate(string[] command)
        {
            reset();
            _points.Reset();
            var reference = fleet.Run(command, _points.Environment());
            Assert.True(reference.ExitCode == 0, reference.ToString());
            _done = State(fleet, project);
            var count = _points.Calls.Count;
            reset();
            _before = State(fleet, project);
            return count;
        }

        /// <summary>Interrupts the command at a point and runs it again; true when the re-run recovered a journaled run.</summary>
        public bool Check(FreshClone clone, string[] command, Hold hold, string signal)
        {
            reset();
            _points.Reset();
            var interrupted = Interrupt(clone, command, hold, signal);
            var where = Where(hold, signal);
            var after = State(fleet, project);
            if (signal != "KILL")
                Assert.True((interrupted.ExitCode == 1 && after == _before) || (interrupted.ExitCode == 0 && after == _done),
                    $"{where}: neither as before nor done:\n{after}\n--- before\n{_before}\n--- run\n{interrupted}");

            var left = Directory.Exists(Journal(fleet));
            var again = fleet.Run(command);
            Assert.True(again.ExitCode == 0, $"{where}: the same command failed again:\n{again}\n--- interrupted run\n{interrupted}");
            var final = State(fleet, project);
            Assert.True(final == _done, $"{where}: not done after the re-run:\n{final}\n--- done\n{_done}\n--- re-run\n{again}");
            if (left)
                Assert.Contains("recovered: ", again.Err);
            return left;
        }

        /// <summary>Runs the command held at a point, signals it there, and waits until every process of the run has ended.</summary>
        private Outcome Interrupt(FreshClone clone, string[] command, Hold hold, string signal)
        {
            using var run = new SignalledRun(clone, fleet, command, _points.Environment(hold));
            Assert.True(run.WaitUntilHeld(_points), $"{Where(hold, signal)}: the run never got there");
            // SIGINT goes to the whole group, as Ctrl-C does; SIGTERM to the runbook alone, as kill does; SIGKILL to the
            // group while a call waits to start (all dies at once), to the runbook alone once a call ran (its git lives on).
            run.Signal(signal, group: signal == "INT" || (signal == "KILL" && !hold.AfterCall));
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(60)), $"{Where(hold, signal)}: the runbook did not end");
            if (signal != "KILL")
                Assert.True(_points.WaitForNoProcesses(TimeSpan.FromSeconds(10)),
                    $"{Where(hold, signal)}: processes of the run outlived it: {string.Join(", ", _points.LiveProcesses())}");
            _points.Release();
            Assert.True(_points.WaitForNoProcesses(TimeSpan.FromSeconds(60)), $"{Where(hold, signal)}: processes of the run never ended");
            return run.Outcome;
        }

        /// <summary>"SIGTERM after point 7 (7 git commit -q -m ...)", the call as this run made it.</summary>
        private string Where(Hold hold, string signal) =>
            $"SIG{signal} {hold} ({_points.Calls.FirstOrDefault(call => call.StartsWith($"{hold.Point} ")) ?? "not reached"})";
    }

    private static string Journal(FleetWorkspace fleet) => fleet[".fleet.toml.journal"];

    /// <summary>Everything an operator would see of the project and the registry, with no commit dates or ids of new commits.</summary>
    private static string State(FleetWorkspace fleet, string project)
    {
        var text = new StringBuilder();
        text.AppendLine(File.ReadAllText(fleet.FleetFile));
        text.AppendLine($"journal: {Directory.Exists(Journal(fleet))}");
        var folder = fleet[project];
        var parent = Path.GetDirectoryName(folder)!;
        text.AppendLine($"{Path.GetRelativePath(fleet.Path, parent)}/: {(Directory.Exists(parent) ? string.Join(" ", Directory.EnumerateFileSystemEntries(parent).Select(Path.GetFileName).Order()) : "(none)")}");
        if (!Directory.Exists(folder))
            return text.ToString();
        text.AppendLine("files: " + string.Join(" ", Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file))
            .Where(file => !file.StartsWith(".git/") || file.EndsWith(".lock"))
            .Order()));
        foreach (var (where, arguments) in new (string, string[])[]
        {
            (".", ["log", "--format=%s %P"]),
            (".", ["ls-files", "--stage"]),
            (".", ["status", "--porcelain", "--ignored"]),
            ("engine", ["rev-parse", "HEAD"]),
            ("engine", ["status", "--porcelain", "--ignored"]),
        })
        {
            if (!Directory.Exists(Path.Combine(folder, where)))
                continue;
            var result = Shell.Run(Path.Combine(folder, where), "git", arguments);
            text.AppendLine($"git -C {where} {string.Join(" ", arguments)}: {result.ExitCode}\n{result.Out}{result.Err}");
        }
        return text.ToString();
    }
}
