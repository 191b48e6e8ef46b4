namespace Engine.Agents.Supervision;

/// <summary>
/// How a healed agent is restarted: at once after its first crash, then after a delay that doubles
/// with each further fast crash; after <see cref="CrashloopAfter"/> fast crashes in a row it is left
/// down as <c>crashloop</c>. A crash is fast when the agent ran less than <see cref="FastCrashWindow"/>.
/// </summary>
internal sealed record RestartPolicy(TimeSpan BackoffBase, TimeSpan BackoffCap, int CrashloopAfter, TimeSpan FastCrashWindow)
{
    public static RestartPolicy For(TimeSpan watchdogInterval) =>
        new(watchdogInterval, TimeSpan.FromMinutes(5), CrashloopAfter: 5, FastCrashWindow: TimeSpan.FromSeconds(60));

    public TimeSpan DelayBefore(int fastCrashesInARow)
    {
        if (fastCrashesInARow <= 1)
            return TimeSpan.Zero;
        var doublings = Math.Min(fastCrashesInARow - 2, 20);
        var delay = BackoffBase * Math.Pow(2, doublings);
        return delay < BackoffCap ? delay : BackoffCap;
    }

    public bool IsFastCrash(TimeSpan uptime) => uptime < FastCrashWindow;
}
