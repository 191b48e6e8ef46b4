using System.Collections.Concurrent;

namespace Engine.Agents.Work.Cycle;

/// <summary>A run in progress, and when it last printed anything.</summary>
internal sealed class RunActivity(long run, DateTimeOffset started)
{
    private long _lastEventTicks = started.UtcTicks;

    public long Run { get; } = run;
    public DateTimeOffset LastEvent => new(Interlocked.Read(ref _lastEventTicks), TimeSpan.Zero);

    public void Touch() => Interlocked.Exchange(ref _lastEventTicks, DateTime.UtcNow.Ticks);
}

/// <summary>The runs of this cycle in progress, whose last events make the heartbeats.</summary>
internal sealed class RunRegistry
{
    private readonly ConcurrentDictionary<long, RunActivity> _runs = new();
    private long _lastEventTicks = DateTime.UtcNow.Ticks;

    public RunActivity Add(long run, DateTimeOffset now) => _runs[run] = new RunActivity(run, now);

    public void Remove(RunActivity activity)
    {
        _runs.TryRemove(activity.Run, out _);
        Touch(activity.LastEvent);
    }

    public IReadOnlyCollection<RunActivity> Active => _runs.Values.ToList();

    /// <summary>The cycle's own sign of life: a step it took, or the last event of any run.</summary>
    public void Touch(DateTimeOffset? at = null)
    {
        var ticks = (at ?? DateTimeOffset.UtcNow).UtcTicks;
        long seen;
        while (ticks > (seen = Interlocked.Read(ref _lastEventTicks)) && Interlocked.CompareExchange(ref _lastEventTicks, ticks, seen) != seen)
        {
        }
    }

    public DateTimeOffset LastEvent =>
        _runs.Values.Select(r => r.LastEvent).Append(new DateTimeOffset(Interlocked.Read(ref _lastEventTicks), TimeSpan.Zero)).Max();
}
