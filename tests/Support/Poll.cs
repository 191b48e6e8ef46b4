using System.Diagnostics;

namespace TestSupport;

/// <summary>Waiting for a condition rather than for a time: a loaded machine makes every sleep too short.</summary>
public static class Poll
{
    /// <summary>The first non-null answer of <paramref name="probe"/>, asked every 200 ms for up to two minutes.</summary>
    public static T Until<T>(Func<T?> probe, string what = "the condition") where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (probe() is { } value)
                return value;
            Thread.Sleep(200);
        }
        throw new TimeoutException($"{what} never held");
    }

    /// <summary>The same for a probe that awaits (an HTTP request).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what = "the condition") where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (await probe() is { } value)
                return value;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what} never held");
    }
}
