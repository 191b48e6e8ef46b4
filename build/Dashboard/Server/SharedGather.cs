namespace Orchestrator.Dashboard;

/// <summary>
/// One gathering of the fleet shared by every request. A result answers every request for <see cref="Fresh"/> after
/// its gathering ended; after that, the first request starts the next gathering and, like every request until it
/// ends, still gets the last result: no request waits on the harnesses but the very first, one after a failure,
/// and one after <see cref="Invalidate"/>. However many pages poll, at most one gathering runs at a time and a new
/// one starts at most once per <see cref="Fresh"/> plus the time a gathering takes.
/// </summary>
internal sealed class SharedGather<T>(Func<T> gather, TimeProvider clock, TimeSpan fresh) where T : class
{
    private readonly Lock _gate = new();
    private Task<T>? _running;
    private T? _last;
    private DateTimeOffset _lastEnded;
    private bool _mustWait = true;
    private int _invalidations;

    public TimeSpan Fresh => fresh;

    /// <summary>How many gatherings started (benchmarks and tests count the harness calls by it).</summary>
    public int Gatherings { get; private set; }

    public Task<T> GetAsync()
    {
        lock (_gate)
        {
            if (_last is not null && !_mustWait && clock.GetUtcNow() - _lastEnded < fresh)
                return Task.FromResult(_last);
            if (_running is null)
            {
                Gatherings++;
                var invalidations = _invalidations;
                // The gathering records its own end before its waiters resume (it waits for this lock, held until
                // _running is set), so a request that follows its result never finds it still running.
                _running = Task.Run(() =>
                {
                    try
                    {
                        var result = gather();
                        Ended(result, invalidations);
                        return result;
                    }
                    catch
                    {
                        Ended(null, invalidations);
                        throw;
                    }
                });
            }
            return _last is not null && !_mustWait ? Task.FromResult(_last) : _running;
        }
    }

    /// <summary>What the last result says is out of date (an action changed it): the next request waits for a new gathering.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _mustWait = true;
            _invalidations++;
        }
    }

    /// <param name="invalidations">How many invalidations came before the gathering started: one that came after makes its result out of date too.</param>
    /// <param name="result">Null when the gathering failed: then the next request waits for another, and sees its error if it fails too.</param>
    private void Ended(T? result, int invalidations)
    {
        lock (_gate)
        {
            _running = null;
            _last = result;
            _mustWait = _last is null || invalidations != _invalidations;
            _lastEnded = clock.GetUtcNow();
        }
    }
}
