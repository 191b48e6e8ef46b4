using System.Text;

namespace Orchestrator.Work;

/// <summary>
/// The progress of cycles that run side by side: each harness's progress line under its project's name as it comes,
/// and, whenever none has spoken for <see cref="QuietAfter"/>, which cycles still run and for how long. A worker can
/// think for minutes without a line; the operator never watches a silent minute.
/// </summary>
internal sealed class CycleProgress : IDisposable
{
    public static readonly TimeSpan QuietAfter = TimeSpan.FromSeconds(20);

    private readonly TextWriter _output;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _running = [];
    private readonly ITimer _timer;
    private readonly TimeSpan _quietAfter;
    private readonly int _total;
    private int _done;
    private DateTimeOffset _lastLine;

    public CycleProgress(TextWriter output, int total, TimeProvider? clock = null, TimeSpan? quietAfter = null)
    {
        _output = output;
        _total = total;
        _clock = clock ?? TimeProvider.System;
        _lastLine = _clock.GetUtcNow();
        _quietAfter = quietAfter ?? QuietAfter;
        _timer = _clock.CreateTimer(_ => Tick(), null, _quietAfter / 4, _quietAfter / 4);
    }

    /// <summary>Where a project's harness writes its progress: each line goes out under the project's name.</summary>
    public TextWriter For(string project) => new ProjectLines(this, project);

    public void Started(string project)
    {
        lock (_gate)
            _running[project] = _clock.GetUtcNow();
    }

    public void Finished(string project)
    {
        lock (_gate)
        {
            _running.Remove(project);
            _done++;
        }
    }

    private void Say(string line)
    {
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
            _lastLine = _clock.GetUtcNow();
        }
    }

    /// <summary>Says which cycles still run when no line went out for <see cref="QuietAfter"/> (the timer calls it).</summary>
    internal void Tick()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (now - _lastLine >= _quietAfter && _running.Count > 0)
                Say(StillRunning(_running, _done, _total, now));
        }
    }

    /// <summary>"RunCycle: still running: api 2m10s, web 45s; 1 of 4 done".</summary>
    public static string StillRunning(IReadOnlyDictionary<string, DateTimeOffset> running, int done, int total, DateTimeOffset now) =>
        $"RunCycle: still running: {string.Join(", ", running.OrderBy(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {CycleReport.Duration(now - r.Value)}"))}; {done} of {total} done";

    public void Dispose() => _timer.Dispose();

    /// <summary>Takes the harness's text as it comes (whole lines, from the command runner) and passes each line on, named.</summary>
    private sealed class ProjectLines(CycleProgress progress, string project) : TextWriter
    {
        private readonly StringBuilder _partial = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                var line = _partial.ToString().TrimEnd('\r');
                _partial.Clear();
                if (line.Length > 0)
                    progress.Say($"{project}: {line}");
            }
            else
                _partial.Append(value);
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
                Write(c);
        }
    }
}
