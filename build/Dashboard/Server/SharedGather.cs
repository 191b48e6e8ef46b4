namespace Orchestrator.Dashboard;

/// <summary>
/// One gathering shared by every request: while it runs, requests wait for it; once it ended, its result serves for
/// <see cref="Fresh"/> more. However many pages poll, the harnesses are asked at most once per gathering plus that.
/// A gathering that failed is not kept: the next request starts another.
/// </summary>
internal sealed class SharedGather<T>(Func<T> gather, TimeProvider clock, TimeSpan fresh)
{
    private readonly Lock _gate = new();
    private Task<T>? _current;
    private DateTimeOffset? _ended;

    public TimeSpan Fresh => fresh;

    /// <summary>How many gatherings ran (benchmarks and tests count the harness calls by it).</summary>
    public int Gatherings { get; private set; }

    public Task<T> GetAsync()
    {
        lock (_gate)
        {
            if (_current is { IsFaulted: false, IsCanceled: false } current && (_ended is null || clock.GetUtcNow() - _ended < fresh))
                return current;
            Gatherings++;
            _ended = null;
            var started = Task.Run(gather);
            _current = started;
            started.ContinueWith(_ => Ended(started), TaskScheduler.Default);
            return started;
        }
    }

    /// <summary>Forgets the last result (an action changed what it says); a gathering under way still serves its waiters.</summary>
    public void Invalidate()
    {
        lock (_gate)
            if (_current is { IsCompleted: true })
                _current = null;
    }

    private void Ended(Task<T> gathering)
    {
        lock (_gate)
            if (ReferenceEquals(_current, gathering))
                _ended = clock.GetUtcNow();
    }
}
