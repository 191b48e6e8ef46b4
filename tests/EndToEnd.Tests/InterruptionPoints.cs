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
        # Runs the command it wraps as the next numbered point; at the chosen one, waits for the test before or after it.
        dir="${POINTS_DIR:?}"
        if [ -n "${POINT_INSIDE:-}" ]; then exec "$@"; fi
        export POINT_INSIDE=1
        # Calls may run at once (the runbook gathers some facts in parallel): number them under a lock.
        n=$( { flock 9; n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$dir/count"; printf '%s %s\n' "$n" "$*" >> "$dir/calls"; echo "$n"; } 9>"$dir/count.lock" )
        hold() { echo $$ > "$dir/held"; until [ -e "$dir/go" ]; do sleep 0.02; done; }
        [ "$n" = "${HOLD_BEFORE:-}" ] && hold
        "$@"
        status=$?
        [ "$n" = "${HOLD_AFTER:-}" ] && hold
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

    /// <summary>The environment of a run: the wrappers, the marker, and where to hold (null: nowhere).</summary>
    public Dictionary<string, string> Environment(Hold? hold = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{_folder["bin"]}:{System.Environment.GetEnvironmentVariable("PATH")}",
            ["POINTS_DIR"] = State,
            ["HARNESS_WRAPPER"] = _folder["bin/point"],
        };
        if (hold is { } at)
            environment[at.After ? "HOLD_AFTER" : "HOLD_BEFORE"] = at.Point.ToString();
        return environment;
    }

    /// <summary>Forgets the previous run's points.</summary>
    public void Reset()
    {
        Directory.Delete(State, recursive: true);
        Directory.CreateDirectory(State);
    }

    /// <summary>True once the run waits at its hold.</summary>
    public bool IsHeld => File.Exists(Path.Combine(State, "held"));

    /// <summary>Lets a held point go on (and any wrapper of a killed run finish).</summary>
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

/// <summary>Where a run is held: just before point N runs, or just after it ran.</summary>
public readonly record struct Hold(int Point, bool After)
{
    public override string ToString() => $"{(After ? "after" : "before")} point {Point}";
}
