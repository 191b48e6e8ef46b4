using System.Diagnostics;
using System.Text;
using Engine.Agents.Processes;
using Engine.Agents.Work.Backends;

namespace Engine.Agents.Work.Running;

/// <summary>How a supervised process ended, and everything it printed.</summary>
internal sealed record ProcessRun(int? ExitCode, bool TimedOut, bool Stopped, string Stdout, string Stderr, TimeSpan Duration)
{
    public ProcessEnd End(TimeSpan limit) => new(ExitCode, TimedOut, Stopped, limit, Stderr.Length > 2000 ? Stderr[^2000..] : Stderr);
}

/// <summary>
/// Runs one program of a cycle (a role, a gate command) with a marker variable in its environment, so
/// that its whole process tree can be found and stopped: past its time limit, when asked to stop,
/// and after it ends (nothing it started outlives it). Every line it prints is a sign of life.
/// Silence alone never stops it.
/// </summary>
internal static class SupervisedProcess
{
    public const string RunMarker = "AGENTS_WORK_RUN";
    private const int LongestStdout = 8 * 1024 * 1024;
    private const int LongestStderr = 64 * 1024;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <param name="onStart">Gets the pid and its start time once the process runs.</param>
    /// <param name="onEvent">Called for every line the process prints: its heartbeat.</param>
    /// <param name="log">A file that gets everything the process prints, as it prints it.</param>
    public static ProcessRun Run(ProcessLaunch launch, string marker, TimeSpan limit, CancellationToken stop,
        Action<int, long?>? onStart = null, Action? onEvent = null, string? log = null)
    {
        var start = new ProcessStartInfo(launch.Argv[0])
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Argv.Skip(1))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in launch.Environment)
            start.Environment[name] = value;
        start.Environment[RunMarker] = marker;

        var clock = Stopwatch.StartNew();
        var logWriter = log is null ? null : new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var gate = new object();
        // Not disposed: a line may still arrive after the run is given up on (a child holding the pipe);
        // it is then dropped, and must find nothing disposed.
        var outputDone = new CountdownEvent(2);
        var closed = false;

        void Receive(StringBuilder into, int longest, string? line)
        {
            lock (gate)
            {
                if (closed)
                    return;
                if (line is null)
                {
                    outputDone.Signal();
                    return;
                }
                into.Append(line).Append('\n');
                if (into.Length > longest)
                    into.Remove(0, into.Length - longest / 2);
                logWriter?.WriteLine(line);
                logWriter?.Flush();
            }
            onEvent?.Invoke();
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Receive(stdout, LongestStdout, e.Data);
        process.ErrorDataReceived += (_, e) => Receive(stderr, LongestStderr, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            logWriter?.Dispose();
            // 127, as a shell says of a program it cannot run.
            return new ProcessRun(127, false, false, "", $"could not start {launch.Argv[0]}: {e.Message}", clock.Elapsed);
        }
        onStart?.Invoke(process.Id, ProcessTable.StartTicksIfAlive(process.Id));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var feeding = Feed(process, launch.Stdin);

        bool timedOut = false, stopped = false;
        while (!process.WaitForExit(Poll))
        {
            if (clock.Elapsed >= limit)
                timedOut = true;
            else if (stop.IsCancellationRequested)
                stopped = true;
            else
                continue;
            StopTree(marker);
            break;
        }
        process.WaitForExit(TimeSpan.FromSeconds(10));
        // Whatever it left running in the background goes too, which also closes its output.
        StopTree(marker);
        outputDone.Wait(TimeSpan.FromSeconds(5));
        feeding.Wait(TimeSpan.FromSeconds(1));

        int? exitCode = process.HasExited && !timedOut && !stopped ? process.ExitCode : null;
        lock (gate)
        {
            closed = true;
            logWriter?.Dispose();
            return new ProcessRun(exitCode, timedOut, stopped, stdout.ToString(), stderr.ToString(), clock.Elapsed);
        }
    }

    /// <summary>Stops every process carrying the marker, and what they fork meanwhile.</summary>
    public static void StopTree(string marker, string markerName = RunMarker) =>
        ProcessTable.StopByEnvironment(markerName, marker, Grace);

    private static Task Feed(Process process, string? input) => Task.Run(() =>
    {
        try
        {
            if (input is not null)
                process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // It ended, or closed its input, without reading it all: its output tells what it did.
        }
    });
}
