using System.Diagnostics;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// The interruption points of a runbook run: each git call it makes (a wrapper first on PATH) and each call of the
/// stand-in harness, numbered in the order made. A run can be held just before or just after point N, so a signal
/// lands exactly there; every process of the run carries a marker in its environment, so none can be missed.
/// </summary>
public sealed class InterruptionPoints : IDisposable
{
    private const string Point = """
        #!/usr/bin/env bash
        # Runs the command it wraps as the next numbered point. HOLD_1, HOLD_2... ("before:point:7", "after:match:commit -q")
        # each stop the first call they name, before or after it runs, until the test lets it go.
        dir="${POINTS_DIR:?}"
        if [ -n "${POINT_INSIDE:-}" ]; then exec "$@"; fi
        export POINT_INSIDE=1
        # Calls may run at once (the runbook gathers some facts in parallel): number them under a lock.
        n=$( { flock 9; n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$dir/count"; printf '%s %s\n' "$n" "$*" >> "$dir/calls"; echo "$n"; } 9>"$dir/count.lock" )
        call="$*"
        hold() {
          local i=1 spec when kind what
          while spec="HOLD_$i" && spec="${!spec:-}" && [ -n "$spec" ]; do
            IFS=: read -r when kind what <<< "$spec"
            if [ "$when" = "$1" ] && { { [ "$kind" = point ] && [ "$what" = "$n" ]; } || { [ "$kind" = match ] && [[ "$call" == *"$what"* ]]; }; } \
              && mkdir "$dir/held-$i" 2>/dev/null; then
              until [ -e "$dir/go-$i" ] || [ -e "$dir/go" ]; do sleep 0.02; done
            fi
            i=$((i + 1))
          done
        }
        hold before
        "$@"
        status=$?
        hold after
        exit $status
        """;

    private readonly TemporaryFolder _folder = new();

    public InterruptionPoints()
    {
        Directory.CreateDirectory(State);
        var git = Shell.Run(_folder.Path, "sh", ["-c", "command -v git"]).Out.Trim();
        Executable("bin/point", Point);
        Executable("bin/git", $"#!/bin/sh\nexec \"{_folder["bin/point"]}\" \"{git}\" \"$@\"\n");
    }

    private string State => _folder["state"];

    /// <summary>The commands run so far, one per point, each with its number.</summary>
    public IReadOnlyList<string> Calls => File.Exists(Path.Combine(State, "calls")) ? File.ReadAllLines(Path.Combine(State, "calls")) : [];

    public void Dispose() => _folder.Dispose();

    /// <summary>The environment of a run: the wrappers, the marker, and where to hold it (the first hold is number 1).</summary>
    public Dictionary<string, string> Environment(params Hold[] holds)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{_folder["bin"]}:{System.Environment.GetEnvironmentVariable("PATH")}",
            ["POINTS_DIR"] = State,
            ["HARNESS_WRAPPER"] = _folder["bin/point"],
        };
        for (var i = 0; i < holds.Length; i++)
            environment[$"HOLD_{i + 1}"] = holds[i].Spec;
        return environment;
    }

    /// <summary>Forgets the previous run's points.</summary>
    public void Reset()
    {
        Directory.Delete(State, recursive: true);
        Directory.CreateDirectory(State);
    }

    /// <summary>True once the run waits at hold <paramref name="number"/> (or has passed it).</summary>
    public bool IsHeld(int number = 1) => Directory.Exists(Path.Combine(State, $"held-{number}"));

    /// <summary>Lets hold <paramref name="number"/> go on.</summary>
    public void Release(int number) => File.WriteAllText(Path.Combine(State, $"go-{number}"), "");

    /// <summary>Lets every hold go on, now and later (and the calls of a killed run finish).</summary>
    public void Release() => File.WriteAllText(Path.Combine(State, "go"), "");

    /// <summary>The processes of a run still alive: those whose environment carries this marker.</summary>
    public IReadOnlyList<int> LiveProcesses()
    {
        var marker = $"POINTS_DIR={State}\0";
        var live = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            try
            {
                var environ = File.ReadAllText(Path.Combine(folder, "environ"));
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                if (environ.Contains(marker) && stat[(stat.LastIndexOf(')') + 2)] != 'Z')
                    live.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return live;
    }

    /// <summary>Waits until every process of the run has ended; false if some still live after the time given.</summary>
    public bool WaitForNoProcesses(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (LiveProcesses().Count > 0)
        {
            if (waited.Elapsed > timeout)
                return false;
            Thread.Sleep(20);
        }
        return true;
    }

    private void Executable(string relative, string content)
    {
        var path = _folder.Write(relative, content.Replace("\r", "") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}

/// <summary>Where a run is held: just before or just after point N, or the first call whose command line contains a text.</summary>
public readonly record struct Hold(bool AfterCall, int Point = 0, string? Match = null)
{
    public static Hold Before(int point) => new(false, point);
    public static Hold After(int point) => new(true, point);
    public static Hold Before(string match) => new(false, Match: match);
    public static Hold After(string match) => new(true, Match: match);

    internal string Spec => $"{(AfterCall ? "after" : "before")}:{(Match is null ? $"point:{Point}" : $"match:{Match}")}";

    public override string ToString() => $"{(AfterCall ? "after" : "before")} {(Match is null ? $"point {Point}" : $"'{Match}'")}";
}

/// <summary>A run of ./build.sh leading its own process group, as a terminal's foreground job does, so a signal can go to all of it.</summary>
public sealed class SignalledRun : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public SignalledRun(FreshClone clone, FleetWorkspace fleet, IEnumerable<string> command, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = fleet.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { Path.Combine(clone.Root, "build.sh") }.Concat(command).Concat(["--fleet", fleet.FleetFile, "--no-logo"]))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in Shell.GitIdentity.Concat(environment))
            start.Environment[name] = value;
        start.Environment.Remove("GITHUB_ACTIONS");
        _process = Process.Start(start)!;
        _process.StandardInput.Close();
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the run is held at hold <paramref name="number"/>; false when it ended first.</summary>
    public bool WaitUntilHeld(InterruptionPoints points, int number = 1)
    {
        var waited = Stopwatch.StartNew();
        while (!points.IsHeld(number) && !_process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(10);
        return points.IsHeld(number);
    }

    /// <summary>kill -SIGNAL to the runbook alone, or to its whole process group.</summary>
    public void Signal(string signal, bool group) =>
        Shell.Run(Path.GetTempPath(), "kill", [$"-{signal}", "--", group ? $"-{_process.Id}" : _process.Id.ToString()]);

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>How the run ended; call once it has exited and any process it left has ended (they hold its output open).</summary>
    public Outcome Outcome => new(_process.ExitCode, _stdout.Result, _stderr.Result);

    public void Dispose() => _process.Dispose();
}
